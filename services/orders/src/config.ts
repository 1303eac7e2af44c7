import {
  callerDigestSetting,
  callerTokenSetting,
  env,
  faultHoldSetting,
  loadConfig,
  temporalSettings,
} from '@quickcart/kit';
import { PAKASIR_BASE_URL, qrisFeeTiersSetting } from '@quickcart/pakasir';
import { z } from 'zod';
import { DEFAULT_FRAUD_THRESHOLDS } from './fraud/fraud-rules';
import { ALERT_RULES } from './operations/alert-rules';
import { PRESS_ANSWER_LIMIT_MS } from './contract';
import { FAULT_STEPS } from './orders/fault-hold';
import { isKnownTimezone } from './reports/period';

/** "10m", "30s", "1500ms", "2h" or plain seconds, to milliseconds. */
export const duration = (fallback: string) =>
  z
    .string()
    .default(fallback)
    .transform((value, ctx) => {
      const m = /^(\d+)(ms|s|m|h)?$/.exec(value.trim());
      if (!m) {
        ctx.addIssue({ code: 'custom', message: 'a duration like 10m, 30s, 1500ms or a number of seconds' });
        return z.NEVER;
      }
      const unit = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000 }[(m[2] ?? 's') as 'ms' | 's' | 'm' | 'h'];
      return Number(m[1]) * unit;
    });

const idList = z
  .string()
  .min(1, 'required: comma-separated Telegram user ids')
  .transform((value, ctx) => {
    const ids = value
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean)
      .map(Number);
    if (ids.length === 0 || ids.some((n) => !Number.isSafeInteger(n) || n <= 0)) {
      ctx.addIssue({
        code: 'custom',
        message: 'comma-separated positive Telegram user ids, e.g. 12345,67890',
      });
      return z.NEVER;
    }
    return ids;
  });

export const ordersConfigSchema = z
  .object({
    /** The internal API (every route wants a caller's token and names its callers), on BIND_HOST. */
    ORDERS_PORT: env.port(4002),
    /** The public listener: only POST /webhooks/pakasir/<secret> and GET /health, on PUBLIC_BIND_HOST. */
    PAKASIR_WEBHOOK_PORT: env.port(4012),
    BIND_HOST: env.bindHost(),
    PUBLIC_BIND_HOST: env.publicBindHost(),
    /** What orders sends to catalog (docs/security.md). */
    ORDERS_API_TOKEN: callerTokenSetting(),
    /** Who may call orders: the gateway and the worker, checked by the SHA-256 of their tokens. */
    GATEWAY_API_TOKEN_SHA256: callerDigestSetting('gateway'),
    WORKER_API_TOKEN_SHA256: callerDigestSetting('worker'),
    /** Prometheus, for /metrics and /ready only. */
    METRICS_API_TOKEN_SHA256: callerDigestSetting('metrics'),
    DATABASE_URL: z.string().url().default('postgres://postgres@127.0.0.1:5432/quickcart'),
    AUDIT_DATABASE_URL: z.string().url().default('postgres://postgres@127.0.0.1:5432/quickcart_audit'),
    ORDERS_DB_POOL_MAX: env.positiveInt(10),
    CATALOG_URL: z.string().url().default('http://127.0.0.1:4001'),
    /** TEMPORAL_ADDRESS, TEMPORAL_NAMESPACE and Temporal Cloud's API key or mTLS files. */
    ...temporalSettings,
    /** The worker's task queue; tests give each suite its own. */
    PAYMENTS_TASK_QUEUE: z.string().min(1).default('payments'),
    ADMIN_IDS: idList,
    PAKASIR_BASE_URL: z.string().url().default(PAKASIR_BASE_URL),
    PAKASIR_PROJECT: z.string().min(1),
    PAKASIR_API_KEY: z.string().min(1),
    /** The secret path segment of the webhook URL: /webhooks/pakasir/<secret>. */
    PAKASIR_WEBHOOK_SECRET: z
      .string()
      .min(16, 'at least 16 characters')
      .regex(/^[A-Za-z0-9_-]+$/, 'letters, digits, _ or -'),
    PAYMENT_TIMEOUT: duration('10m'),
    PAYMENT_POLL_INTERVAL: duration('60s'),
    /**
     * The QRIS fee the checkout quotes before Pakasir answers (its answer is what is charged): bands
     * `[ABOVE:]PERCENT%[+FIXED]` separated by `,`, rounded half up (docs/features.md §2.5).
     */
    QRIS_FEE_TIERS: qrisFeeTiersSetting,
    LOG_LEVEL: z.enum(['silent', 'error', 'warn', 'info', 'debug']).default('info'),
    /** The shop's timezone (IANA name): the days, weeks and months of /report and /exportorders. */
    SHOP_TIMEZONE: z
      .string()
      .default('Asia/Jakarta')
      .refine(isKnownTimezone, 'must be an IANA timezone such as Asia/Jakarta'),
    /**
     * How long the relay leaves a workflow start to the checkout that wrote it (which starts it at once)
     * before starting it itself: longer than a checkout's slowest way from its commit to its start (the
     * catalog's 10 s timeout on the reservation, then Temporal's 3 s on the start).
     */
    WORKFLOW_START_GRACE: duration('20s'),
    /**
     * How long a customer's press waits for its payment run to open the order (Update-with-Start) before
     * the customer is told "⚠️ Sedang sibuk" (issue 18: within 3 s while Temporal is down). A press that
     * reaches its run later opens nothing, so the customer's "busy" leaves nothing behind.
     */
    CHECKOUT_TIMEOUT: duration('3s'),
    /**
     * How long a press whose run was taken (within CHECKOUT_TIMEOUT) waits for its answer: the order
     * opened and, for QRIS, Pakasir's invoice created. Past it the customer hears "busy" too, and a press
     * sealed longer ago than this opens nothing.
     */
    CHECKOUT_ANSWER_TIMEOUT: duration('20s'),
    /**
     * How often orders looks for what a crash or an older version left: pending orders without a workflow,
     * stock held for no open order.
     */
    ORPHAN_SWEEP_INTERVAL: duration('1m'),
    /**
     * Paid, expired and refunded orders and deposits reach the admins as one digest message a chat this
     * often (operations/admin-digest.ts); 0 = one message per event. Failures that need a person go at once.
     */
    ADMIN_DIGEST_SECONDS: z.coerce.number().int().min(0).max(3600).default(30),
    /** The gateway's POST /notify: orders' own notices to admins (anti-fraud flags). */
    GATEWAY_URL: z.string().url().default('http://127.0.0.1:4003'),
    /** Anti-fraud flag thresholds (docs/features.md §4): they flag, never block. */
    FRAUD_MAX_PAYMENTS_PER_HOUR: env.positiveInt(DEFAULT_FRAUD_THRESHOLDS.maxPaymentsPerHour),
    FRAUD_MAX_DAILY_TOTAL: env.positiveInt(DEFAULT_FRAUD_THRESHOLDS.maxDailyTotal),
    FRAUD_LARGE_TRANSACTION: env.positiveInt(DEFAULT_FRAUD_THRESHOLDS.largeTransaction),
    FRAUD_YOUNG_ACCOUNT_HOURS: env.positiveInt(DEFAULT_FRAUD_THRESHOLDS.youngAccountHours),
    FRAUD_YOUNG_ACCOUNT_AMOUNT: env.positiveInt(DEFAULT_FRAUD_THRESHOLDS.youngAccountAmount),
    FRAUD_SMALL_TRANSACTION: env.positiveInt(DEFAULT_FRAUD_THRESHOLDS.smallTransaction),
    FRAUD_SMALL_TRANSACTIONS_PER_HOUR: env.positiveInt(DEFAULT_FRAUD_THRESHOLDS.smallTransactionsPerHour),
    /** Where the owner's alerts go (a user or group chat id); unset: every admin. */
    OWNER_ALERT_CHAT: z.preprocess(
      (v) => (v === '' ? undefined : v),
      z.coerce
        .number()
        .int()
        .safe()
        .refine((n) => n !== 0, 'a Telegram chat id')
        .optional(),
    ),
    /** How often the owner's alerts are checked. */
    ALERT_CHECK_INTERVAL: duration('1m'),
    /** An audit entry waiting in the outbox longer than this raises the audit-outbox alert. */
    ALERT_OUTBOX_BACKLOG: duration('5m'),
    /** No successful backup for this long (once one ran) raises the backup alert. */
    ALERT_BACKUP_MAX_AGE: duration('26h'),
    /**
     * Pakasir's and Telegram's answers to every process's calls are read over this window, and "keeps
     * refusing" must last ALERT_REFUSING_FOR before the owner is told; defaults: the Prometheus rules'.
     */
    ALERT_REFUSING_WINDOW: duration(ALERT_RULES.pakasirRefusing.window),
    ALERT_REFUSING_FOR: duration(ALERT_RULES.pakasirRefusing.for),
    /** The worker not polling Temporal must last this long before the owner is told (the rule's `for`). */
    ALERT_WORKER_SILENCE: duration(ALERT_RULES.workerNotPolling.for),
    /** /stuck lists a pending order once it is this much older than PAYMENT_TIMEOUT: its window passed. */
    STUCK_GRACE: duration('5m'),
    /**
     * TEST ONLY, never set in production: comma-separated checkout steps (FAULT_STEPS) that hang when
     * reached, so a crash test can kill the process inside one. Unset: nothing is held.
     */
    QC_FAULT_HOLD: faultHoldSetting(FAULT_STEPS),
  })
  .refine((c) => c.CHECKOUT_TIMEOUT + c.CHECKOUT_ANSWER_TIMEOUT < PRESS_ANSWER_LIMIT_MS, {
    // A press answered later than its callers wait would reach the customer as an error, not as "busy".
    message: `CHECKOUT_TIMEOUT + CHECKOUT_ANSWER_TIMEOUT must stay under ${PRESS_ANSWER_LIMIT_MS / 1000} s, the time callers wait for a press's answer`,
    path: ['CHECKOUT_ANSWER_TIMEOUT'],
  });
export type OrdersConfig = z.infer<typeof ordersConfigSchema>;
export type OrdersConfigInput = z.input<typeof ordersConfigSchema>;

export const loadOrdersConfig = (source: NodeJS.ProcessEnv = process.env): OrdersConfig =>
  loadConfig(ordersConfigSchema, source);

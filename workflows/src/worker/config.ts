import { callerDigestSetting, callerTokenSetting, env, loadConfig, temporalSettings } from '@quickcart/kit';
import { z } from 'zod';

export const workerConfigSchema = z.object({
  /** TEMPORAL_ADDRESS, TEMPORAL_NAMESPACE and Temporal Cloud's API key or mTLS files. */
  ...temporalSettings,
  PAYMENTS_TASK_QUEUE: z.string().min(1).default('payments'),
  CATALOG_URL: z.string().url().default('http://127.0.0.1:4001'),
  ORDERS_URL: z.string().url().default('http://127.0.0.1:4002'),
  /** The gateway's internal API (POST /notify). */
  GATEWAY_URL: z.string().url().default('http://127.0.0.1:4003'),
  /** The worker's own token: sent to catalog, orders and the gateway's /notify (docs/security.md). */
  WORKER_API_TOKEN: callerTokenSetting(),
  PAKASIR_BASE_URL: z.string().url().default('https://app.pakasir.com'),
  PAKASIR_PROJECT: z.string().min(1),
  PAKASIR_API_KEY: z.string().min(1),
  /**
   * The bot's @username, without the @: Pakasir's payment page sends the customer back to
   * https://t.me/<name> after paying (its `redirect`, docs/features.md §6). Unset: Pakasir's default.
   */
  BOT_USERNAME: z
    .string()
    .regex(/^[A-Za-z][A-Za-z0-9_]{4,31}$/, "the bot's username without @, e.g. toko_uji_bot")
    .optional()
    .or(z.literal('').transform(() => undefined)),
  /**
   * Activities a second on the Telegram queue for the whole bot. Telegram allows about 30 messages a
   * second in bulk; a bot with paid broadcasts up to 1000 (the bench lifts the cap with --telegram-rate).
   */
  TELEGRAM_RATE_PER_SECOND: z.coerce.number().positive().max(1000).default(25),
  /**
   * How often reconciliation asks Pakasir about invoices closed unpaid (a payment whose webhook was
   * lost after its workflow ended), e.g. 5m, 30s, 1h; and how many hours back it looks.
   */
  RECONCILE_EVERY: z
    .string()
    .default('5m')
    .transform((value, ctx) => {
      const m = /^(\d+)(ms|s|m|h)$/.exec(value.trim());
      if (!m || Number(m[1]) === 0) {
        ctx.addIssue({ code: 'custom', message: 'a duration like 5m, 30s or 1h' });
        return z.NEVER;
      }
      return Number(m[1]) * { ms: 1, s: 1_000, m: 60_000, h: 3_600_000 }[m[2] as 'ms' | 's' | 'm' | 'h'];
    }),
  RECONCILE_WINDOW_HOURS: z.coerce.number().int().positive().max(720).default(48),
  /**
   * The worker's internal listener (docs/operations.md §17): /health, and for Prometheus' token only
   * /ready and /metrics (ours and the Temporal SDK's).
   */
  WORKER_PORT: env.port(4004),
  BIND_HOST: env.bindHost(),
  /** Prometheus, the only caller of the worker's listener. */
  METRICS_API_TOKEN_SHA256: callerDigestSetting('metrics'),
  /**
   * Where the Temporal SDK serves its own metrics, always on 127.0.0.1 (no token of its own): the
   * worker's /metrics reads it and serves it behind the token.
   */
  TEMPORAL_METRICS_PORT: env.port(9464),
  LOG_LEVEL: z.enum(['silent', 'error', 'warn', 'info', 'debug']).default('info'),
  /** The workflow bundle built with the image; unset: the sources are bundled at start (development). */
  WORKFLOW_BUNDLE_PATH: z
    .string()
    .optional()
    .transform((value) => value || undefined),
  /** Touched every few seconds while the worker runs: the container's health check reads its age. */
  WORKER_HEARTBEAT_FILE: z
    .string()
    .optional()
    .transform((value) => value || undefined),
});
export type WorkerConfig = z.infer<typeof workerConfigSchema>;
export const loadWorkerConfig = (source: NodeJS.ProcessEnv = process.env): WorkerConfig =>
  loadConfig(workerConfigSchema, source);

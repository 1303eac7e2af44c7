import { callerDigestSetting, callerTokenSetting, env, loadConfig } from '@quickcart/kit';
import { z } from 'zod';

const optional = <T extends z.ZodType>(schema: T) =>
  z.preprocess((v) => (v === '' ? undefined : v), schema.optional());

export const gatewayConfigSchema = z
  .object({
    /** The internal API (POST /notify for the workflows), on BIND_HOST; wants the worker's token. */
    GATEWAY_PORT: env.port(4003),
    /** Webhook mode only: the public listener with the Telegram webhook and /health, on PUBLIC_BIND_HOST. */
    TELEGRAM_WEBHOOK_PORT: env.port(4013),
    BIND_HOST: env.bindHost(),
    PUBLIC_BIND_HOST: env.publicBindHost(),
    /** What the gateway sends to catalog and orders (docs/security.md). */
    GATEWAY_API_TOKEN: callerTokenSetting(),
    /** Checks the worker's calls to /notify without holding a token that could act as the worker. */
    WORKER_API_TOKEN_SHA256: callerDigestSetting('worker'),
    /** Orders sends its own notices (anti-fraud flags, the owner's alerts) through /notify. */
    ORDERS_API_TOKEN_SHA256: callerDigestSetting('orders'),
    /** Prometheus, for /metrics and /ready only. */
    METRICS_API_TOKEN_SHA256: callerDigestSetting('metrics'),
    TELEGRAM_BOT_TOKEN: z.string().min(1, 'required: the bot token from @BotFather'),
    /** The Bot API base URL; the sandbox in development and tests (docs/architecture.md §7.4). */
    TELEGRAM_API_ROOT: z.string().url().default('https://api.telegram.org'),
    /** Set: webhook mode at this public base URL; unset: long polling. */
    TELEGRAM_WEBHOOK_URL: optional(z.string().url()),
    TELEGRAM_WEBHOOK_SECRET: optional(
      z.string().regex(/^[A-Za-z0-9_-]{16,256}$/, '16-256 letters, digits, _ or -'),
    ),
    /** Unset: sessions, rate limits and idempotency in memory (one process only). */
    REDIS_URL: optional(z.string().url()),
    /** Namespaces the gateway's Redis keys, so several shops or test runs can share one Redis. */
    REDIS_KEY_PREFIX: z.string().max(64).default('quickcart:'),
    CATALOG_URL: z.string().url().default('http://127.0.0.1:4001'),
    ORDERS_URL: z.string().url().default('http://127.0.0.1:4002'),
    STORE_NAME: z.string().min(1).default('QuickCart'),
    DOCS_URL: z.string().url().default('https://telegra.ph/QuickCart-Docs'),
    WELCOME_STICKER: z
      .string()
      .min(1)
      .default('CAACAgIAAxkBAAIDbWkLZHuqPRCqCqmL9flozT9YJdWOAAIZUAAC4KOCB7lIn3OKexieNgQ'),
    RATE_LIMIT_PER_MINUTE: env.positiveInt(30),
    /**
     * How long a customer's record is reused by their next updates (user-records.ts); 0: asked of orders
     * on every update. A change made on another replica shows within this time.
     */
    USER_RECORD_SECONDS: z.coerce.number().int().min(0).max(60).default(5),
    /** The inbox (docs/architecture.md §8.1): streams the chats are spread over; every gateway the same. */
    INBOX_PARTITIONS: env.positiveInt(16),
    /** Tries of an update whose handler keeps failing (an outage) before it goes to the dead letters. */
    INBOX_MAX_ATTEMPTS: env.positiveInt(5),
    /** On SIGTERM: how long updates being handled may finish before they are handed back. */
    INBOX_SHUTDOWN_GRACE_MS: env.positiveInt(25_000),
    /** Polling mode: 409s in a row (another instance polls this bot) after which polling gives up. */
    TELEGRAM_POLLING_MAX_CONFLICTS: env.positiveInt(10),
    /** Messages and edits a minute the gateway lets into one group (Telegram's limit: about 20). */
    TELEGRAM_GROUP_MESSAGES_PER_MINUTE: env.positiveInt(20),
    /**
     * /stuck's "🌐 Temporal UI" button opens the Web UI here, filtered by the invoice; unset: the filter
     * is shown as text. Telegram refuses a button to a local address: give the URL operators reach.
     */
    TEMPORAL_UI_URL: optional(z.string().url()),
    TEMPORAL_NAMESPACE: z.string().min(1).default('default'),
    /** Shown by /version: the commit this build came from (start.sh and the Dockerfile set it). */
    BUILD_COMMIT: z.string().min(1).default('dev'),
    LOG_LEVEL: z.enum(['silent', 'error', 'warn', 'info', 'debug']).default('info'),
  })
  // Without the secret anyone who finds the webhook URL could post updates as any user, an admin too.
  .refine((c) => !c.TELEGRAM_WEBHOOK_URL || c.TELEGRAM_WEBHOOK_SECRET, {
    path: ['TELEGRAM_WEBHOOK_SECRET'],
    message: 'required in webhook mode (TELEGRAM_WEBHOOK_URL is set): 16-256 letters, digits, _ or -',
  });
export type GatewayConfig = z.infer<typeof gatewayConfigSchema>;
export const loadGatewayConfig = (source: NodeJS.ProcessEnv = process.env): GatewayConfig =>
  loadConfig(gatewayConfigSchema, source);

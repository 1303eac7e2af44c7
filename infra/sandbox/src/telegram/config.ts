import { env, loadConfig } from '@quickcart/kit';
import { z } from 'zod';
import { DEFAULT_LIMITS, type TelegramLimits } from './limits';

/** Compose files pass unset variables as ""; treat that as not set. */
const optional = <S extends z.ZodType>(schema: S) =>
  z.preprocess((v) => (v === '' ? undefined : v), schema.optional());

export const telegramSandboxConfigSchema = z.object({
  TELEGRAM_SANDBOX_PORT: env.port(4200),
  /** Unset: any token is accepted. */
  TELEGRAM_SANDBOX_TOKEN: optional(z.string().regex(/^\d+:[\w-]+$/, 'must look like 123456:ABC-def')),
  /** Telegram's limits (telegram/limits.ts); raise them only to play many people at once. */
  TELEGRAM_SANDBOX_SENDS_PER_SECOND: z.coerce.number().positive().default(DEFAULT_LIMITS.sendsPerSecond),
  TELEGRAM_SANDBOX_CHAT_SENDS_PER_SECOND: z.coerce
    .number()
    .positive()
    .default(DEFAULT_LIMITS.chatSendsPerSecond),
  TELEGRAM_SANDBOX_CHAT_BURST: env.positiveInt(DEFAULT_LIMITS.chatBurst),
  TELEGRAM_SANDBOX_GROUP_SENDS_PER_MINUTE: z.coerce
    .number()
    .positive()
    .default(DEFAULT_LIMITS.groupSendsPerMinute),
  TELEGRAM_SANDBOX_CALLBACK_ANSWER_SECONDS: z.coerce
    .number()
    .positive()
    .default(DEFAULT_LIMITS.callbackAnswerSeconds),
  /** 0: retry_after is the time to the next free slot; above 0: a 429 says (and enforces) at least this. */
  TELEGRAM_SANDBOX_FLOOD_WAIT_SECONDS: z.coerce
    .number()
    .int()
    .min(0)
    .default(DEFAULT_LIMITS.floodWaitSeconds),
  TELEGRAM_SANDBOX_WEBHOOK_RETRY_MAX_PAUSE_SECONDS: z.coerce
    .number()
    .positive()
    .default(DEFAULT_LIMITS.webhookRetryMaxPauseSeconds),
  TELEGRAM_SANDBOX_WEBHOOK_GIVE_UP_SECONDS: z.coerce
    .number()
    .positive()
    .default(DEFAULT_LIMITS.webhookGiveUpSeconds),
  LOG_LEVEL: z.enum(['silent', 'error', 'warn', 'info', 'debug']).default('info'),
});
export type TelegramSandboxConfig = z.infer<typeof telegramSandboxConfigSchema>;

export const loadTelegramSandboxConfig = (source: NodeJS.ProcessEnv = process.env): TelegramSandboxConfig =>
  loadConfig(telegramSandboxConfigSchema, source);

export const limitsOf = (config: TelegramSandboxConfig): TelegramLimits => ({
  sendsPerSecond: config.TELEGRAM_SANDBOX_SENDS_PER_SECOND,
  chatSendsPerSecond: config.TELEGRAM_SANDBOX_CHAT_SENDS_PER_SECOND,
  chatBurst: config.TELEGRAM_SANDBOX_CHAT_BURST,
  groupSendsPerMinute: config.TELEGRAM_SANDBOX_GROUP_SENDS_PER_MINUTE,
  callbackAnswerSeconds: config.TELEGRAM_SANDBOX_CALLBACK_ANSWER_SECONDS,
  floodWaitSeconds: config.TELEGRAM_SANDBOX_FLOOD_WAIT_SECONDS,
  webhookRetryMaxPauseSeconds: config.TELEGRAM_SANDBOX_WEBHOOK_RETRY_MAX_PAUSE_SECONDS,
  webhookGiveUpSeconds: config.TELEGRAM_SANDBOX_WEBHOOK_GIVE_UP_SECONDS,
});

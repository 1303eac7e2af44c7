import { env, loadConfig } from '@quickcart/kit';
import { z } from 'zod';

/** Compose files pass unset variables as ""; treat that as not set. */
const optional = <S extends z.ZodType>(schema: S) =>
  z.preprocess((v) => (v === '' ? undefined : v), schema.optional());

export const telegramSandboxConfigSchema = z.object({
  TELEGRAM_SANDBOX_PORT: env.port(4200),
  /** Unset: any token is accepted. */
  TELEGRAM_SANDBOX_TOKEN: optional(z.string().regex(/^\d+:[\w-]+$/, 'must look like 123456:ABC-def')),
  LOG_LEVEL: z.enum(['silent', 'error', 'warn', 'info', 'debug']).default('info'),
});
export type TelegramSandboxConfig = z.infer<typeof telegramSandboxConfigSchema>;

export const loadTelegramSandboxConfig = (source: NodeJS.ProcessEnv = process.env): TelegramSandboxConfig =>
  loadConfig(telegramSandboxConfigSchema, source);

import { env, loadConfig } from '@quickcart/kit';
import { z } from 'zod';

/** Compose files pass unset variables as ""; treat that as not set. */
const optional = <S extends z.ZodType>(schema: S) =>
  z.preprocess((v) => (v === '' ? undefined : v), schema.optional());

export const sandboxConfigSchema = z.object({
  PAKASIR_SANDBOX_PORT: env.port(4100),
  PAKASIR_PROJECT: z.string().min(1).default('quickcart-sandbox'),
  PAKASIR_API_KEY: z.string().min(1).default('sandbox-key'),
  PAKASIR_WEBHOOK_URL: optional(z.url()),
  PAKASIR_SANDBOX_EXPIRY_MINUTES: env.positiveInt(60),
  /** `false` answers a repeated order_id with the same payment instead of refusing it. */
  PAKASIR_SANDBOX_STRICT: z
    .enum(['true', 'false'])
    .default('true')
    .transform((v) => v === 'true'),
  LOG_LEVEL: z.enum(['silent', 'error', 'warn', 'info', 'debug']).default('info'),
});
export type SandboxConfig = z.infer<typeof sandboxConfigSchema>;

export const loadSandboxConfig = (source: NodeJS.ProcessEnv = process.env): SandboxConfig =>
  loadConfig(sandboxConfigSchema, source);

import { z } from 'zod';

/**
 * Parses the process environment once at start. A bad value stops the process with a message that
 * names the variable (docs/architecture.md §7.4).
 */
export function loadConfig<S extends z.ZodType>(schema: S, env: NodeJS.ProcessEnv = process.env): z.infer<S> {
  const parsed = schema.safeParse(env);
  if (parsed.success) return parsed.data;
  const lines = parsed.error.issues.map((issue) => `  ${issue.path.join('.') || '(env)'}: ${issue.message}`);
  throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** Environment variables arrive as strings; these turn them into the types a schema wants. */
export const env = {
  port: (fallback: number) => z.coerce.number().int().min(0).max(65535).default(fallback),
  positiveInt: (fallback: number) => z.coerce.number().int().positive().default(fallback),
  url: (fallback?: string) =>
    fallback === undefined ? z.string().url() : z.string().url().default(fallback),
  logLevel: () => z.enum(['error', 'warn', 'info', 'debug']).default('info'),
  /** BIND_HOST: where internal listeners listen; only this machine unless a deployment says otherwise. */
  bindHost: () => z.string().min(1).default('127.0.0.1'),
  /** PUBLIC_BIND_HOST: where the listeners the outside must reach (webhooks) listen. */
  publicBindHost: () => z.string().min(1).default('0.0.0.0'),
};

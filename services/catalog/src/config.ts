import { callerDigestSetting, env, faultHoldSetting, loadConfig } from '@quickcart/kit';
import { z } from 'zod';

/**
 * The steps a crash test can hold catalog in: `reservation.before-commit` hangs a commit (a balance
 * purchase between its debit and "paid"), so the test can end the workflow there.
 */
export const CATALOG_FAULT_STEPS = ['reservation.before-commit'] as const;
export type CatalogFaultStep = (typeof CATALOG_FAULT_STEPS)[number];

export const catalogConfigSchema = z.object({
  /** Internal only: every route wants a caller's token and names its callers (docs/security.md). */
  CATALOG_PORT: env.port(4001),
  BIND_HOST: env.bindHost(),
  /** Who may call catalog: all three callers, checked by the SHA-256 of their tokens. */
  GATEWAY_API_TOKEN_SHA256: callerDigestSetting('gateway'),
  WORKER_API_TOKEN_SHA256: callerDigestSetting('worker'),
  ORDERS_API_TOKEN_SHA256: callerDigestSetting('orders'),
  /** Prometheus, for /metrics and /ready only. */
  METRICS_API_TOKEN_SHA256: callerDigestSetting('metrics'),
  DATABASE_URL: z.string().url().default('postgres://postgres@127.0.0.1:5432/quickcart'),
  AUDIT_DATABASE_URL: z.string().url().default('postgres://postgres@127.0.0.1:5432/quickcart_audit'),
  CATALOG_DB_POOL_MAX: env.positiveInt(10),
  LOG_LEVEL: z.enum(['silent', 'error', 'warn', 'info', 'debug']).default('info'),
  /** TEST ONLY, never set in production: steps (CATALOG_FAULT_STEPS) that hang when reached. */
  QC_FAULT_HOLD: faultHoldSetting(CATALOG_FAULT_STEPS),
});
export type CatalogConfig = z.infer<typeof catalogConfigSchema>;

export const loadCatalogConfig = (source: NodeJS.ProcessEnv = process.env): CatalogConfig =>
  loadConfig(catalogConfigSchema, source);

import { internalTokenSetting, loadConfig } from '@quickcart/kit';
import { z } from 'zod';

export const workerConfigSchema = z.object({
  TEMPORAL_ADDRESS: z.string().default('127.0.0.1:7233'),
  TEMPORAL_NAMESPACE: z.string().default('default'),
  PAYMENTS_TASK_QUEUE: z.string().min(1).default('payments'),
  CATALOG_URL: z.string().url().default('http://127.0.0.1:4001'),
  ORDERS_URL: z.string().url().default('http://127.0.0.1:4002'),
  /** The gateway's internal API (POST /notify). */
  GATEWAY_URL: z.string().url().default('http://127.0.0.1:4003'),
  /** Sent to catalog, orders and the gateway's /notify (docs/security.md). */
  INTERNAL_API_TOKEN: internalTokenSetting(),
  PAKASIR_BASE_URL: z.string().url().default('https://app.pakasir.com'),
  PAKASIR_PROJECT: z.string().min(1),
  PAKASIR_API_KEY: z.string().min(1),
  TELEGRAM_RATE_PER_SECOND: z.coerce.number().positive().max(30).default(25),
  LOG_LEVEL: z.enum(['silent', 'error', 'warn', 'info', 'debug']).default('info'),
});
export type WorkerConfig = z.infer<typeof workerConfigSchema>;
export const loadWorkerConfig = (source: NodeJS.ProcessEnv = process.env): WorkerConfig =>
  loadConfig(workerConfigSchema, source);

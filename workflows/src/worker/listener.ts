import {
  callerDigestsOf,
  createApp,
  serve,
  type Listening,
  type Logger,
  type ReadinessChecks,
  type Registry,
} from '@quickcart/kit';
import type { WorkerConfig } from './config';

/**
 * The worker's internal listener (docs/operations.md §17) on BIND_HOST:WORKER_PORT: /health (alive),
 * and for Prometheus' token only (METRICS_API_TOKEN) /ready (Temporal answers, both workers polling) and /metrics: ours,
 * followed by the Temporal SDK's own (`temporal_*`), read from its exporter on 127.0.0.1.
 */
export async function serveWorkerListener(o: {
  config: Pick<WorkerConfig, 'WORKER_PORT' | 'BIND_HOST' | 'METRICS_API_TOKEN_SHA256'>;
  logger: Logger;
  registry: Registry;
  sdkMetricsUrl: string;
  ready: ReadinessChecks;
}): Promise<Listening> {
  const { finish } = createApp({
    logger: o.logger,
    health: async () => ({ service: 'worker' }),
    access: { callers: callerDigestsOf(o.config) },
    metrics: { registry: o.registry, extra: () => sdkMetrics(o.sdkMetricsUrl, o.logger) },
    ready: o.ready,
  });
  return serve(finish(), { port: o.config.WORKER_PORT, host: o.config.BIND_HOST }, o.logger);
}

/** The SDK's metrics text; none (and a warning) when its exporter does not answer, ours are still served. */
async function sdkMetrics(url: string, logger: Logger): Promise<string> {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(2_000) });
    if (!response.ok) throw new Error(`answered ${response.status}`);
    return await response.text();
  } catch (error) {
    logger.warn('temporal SDK metrics not read', { reason: (error as Error).message });
    return '';
  }
}

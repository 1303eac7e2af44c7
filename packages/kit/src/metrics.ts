import type { Express, RequestHandler } from 'express';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

export { Counter, Gauge, Histogram, Registry };

/**
 * A process's Prometheus metrics (docs/operations.md §17). One registry per process (a test may run
 * several services in one process, so never prom-client's global one), with Node's own metrics
 * (`process_*`, `nodejs_*`). Names follow Prometheus: `quickcart_…_total` for counters, `_seconds` for
 * durations; labels never carry a user, an invoice or any other unbounded id.
 */
export function createMetricsRegistry(): Registry {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  return registry;
}

/** Latency buckets for our HTTP calls, from a cached read (ms) to a slow checkout (seconds). */
export const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/**
 * Counts and times every request of an internal listener by its route pattern (`/orders/:invoiceId`,
 * never the path with its ids) and status. A request no route took (a 401 before routing, a 404) is
 * `unmatched`.
 */
export function httpMetrics(registry: Registry, listener: string): RequestHandler {
  const labelNames = ['listener', 'method', 'route', 'status'] as const;
  const requests =
    (registry.getSingleMetric('quickcart_http_requests_total') as Counter<(typeof labelNames)[number]>) ??
    new Counter({
      name: 'quickcart_http_requests_total',
      help: 'HTTP requests answered, by listener, method, route pattern and status',
      labelNames,
      registers: [registry],
    });
  const duration =
    (registry.getSingleMetric('quickcart_http_request_duration_seconds') as Histogram<
      (typeof labelNames)[number]
    >) ??
    new Histogram({
      name: 'quickcart_http_request_duration_seconds',
      help: 'Time from a request arriving to its answer, by listener, method, route pattern and status',
      labelNames,
      buckets: LATENCY_BUCKETS,
      registers: [registry],
    });
  return (req, res, next) => {
    const end = duration.startTimer();
    res.once('finish', () => {
      const pattern = req.route?.path;
      const labels = {
        listener,
        method: req.method,
        route: typeof pattern === 'string' ? req.baseUrl + pattern : 'unmatched',
        status: String(res.statusCode),
      };
      requests.inc(labels);
      end(labels);
    });
    next();
  };
}

/**
 * GET /metrics in Prometheus' text format, for the callers `check` allows (the scraper); `extra` is
 * appended (the worker adds the Temporal SDK's).
 */
export function mountMetrics(
  app: Express,
  registry: Registry,
  check: RequestHandler,
  extra?: () => Promise<string>,
): void {
  app.get('/metrics', check, (_req, res, next) => {
    Promise.all([registry.metrics(), extra?.() ?? ''])
      .then(([ours, theirs]) => {
        res.setHeader('content-type', registry.contentType);
        res.end(theirs ? `${ours}\n${theirs}` : ours);
      })
      .catch(next);
  });
}

import { Counter, Histogram, LATENCY_BUCKETS, type Registry } from '@quickcart/kit';
import type { PakasirCall } from './client';

/** Pakasir calls by endpoint and result, with their latency: in orders (webhook checks) and the worker. */
export function pakasirCallMetrics(registry: Registry): (call: PakasirCall) => void {
  const calls = new Counter({
    name: 'quickcart_pakasir_calls_total',
    help: 'Calls to Pakasir by endpoint and result (ok, the HTTP status, timeout, network, contract)',
    labelNames: ['endpoint', 'result'],
    registers: [registry],
  });
  const duration = new Histogram({
    name: 'quickcart_pakasir_call_duration_seconds',
    help: 'Time a Pakasir call took, by endpoint',
    labelNames: ['endpoint'],
    buckets: LATENCY_BUCKETS,
    registers: [registry],
  });
  return ({ endpoint, result, seconds }) => {
    calls.inc({ endpoint, result });
    duration.observe({ endpoint }, seconds);
  };
}

import { Counter, Histogram, type Registry } from '@quickcart/kit';

/** paid→delivered is timed from the markOrder(paid) this process saw; remembered this long at most. */
const PAID_MEMORY_MS = 60 * 60_000;
const PAID_MEMORY_MAX = 10_000;

/**
 * The worker's own metrics (docs/operations.md §17), read from the activities it runs (activity
 * interceptors, activity-interceptors.ts): the workflow code is not touched. The Temporal SDK's
 * metrics (`temporal_*`) come beside them on the same /metrics.
 */
export function workerMetrics(registry: Registry) {
  const paidToDelivered = new Histogram({
    name: 'quickcart_purchase_paid_to_delivered_seconds',
    help: 'Time from an order being marked paid to its goods delivered (both seen by this worker process)',
    buckets: [0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60, 300],
    registers: [registry],
  });
  const deliveriesFailed = new Counter({
    name: 'quickcart_deliveries_failed_total',
    help: "Deliveries given up (refused, or out of attempts): the order is parked as delivery_failed, by the failure's type",
    labelNames: ['reason'],
    registers: [registry],
  });
  const broadcastMessages = new Counter({
    name: 'quickcart_broadcast_messages_total',
    help: 'Broadcast messages by result: sent, blocked (the user blocked the bot), failed (out of attempts)',
    labelNames: ['result'],
    registers: [registry],
  });
  const paidAt = new Map<string, number>();
  return {
    paid(invoiceId: string): void {
      const now = Date.now();
      for (const [id, at] of paidAt) {
        if (now - at <= PAID_MEMORY_MS && paidAt.size < PAID_MEMORY_MAX) break;
        paidAt.delete(id); // a Map iterates oldest first
      }
      if (!paidAt.has(invoiceId)) paidAt.set(invoiceId, now);
    },
    delivered(invoiceId: string): void {
      const at = paidAt.get(invoiceId);
      if (at === undefined) return;
      paidAt.delete(invoiceId);
      paidToDelivered.observe((Date.now() - at) / 1000);
    },
    deliveryFailed(reason: string): void {
      deliveriesFailed.inc({ reason });
    },
    broadcastMessage(result: 'sent' | 'blocked' | 'failed'): void {
      broadcastMessages.inc({ result });
    },
  };
}
export type WorkerMetrics = ReturnType<typeof workerMetrics>;

import { Counter, Gauge, Histogram, type Registry } from '@quickcart/kit';
import { pakasirCallMetrics } from '@quickcart/pakasir';
import type { Sequelize } from 'sequelize-typescript';
import type { Order, OrderStatus } from './contract';

/** Webhook arrivals are remembered this long for webhook→paid; a payment slower than that is not timed. */
const WEBHOOK_MEMORY_MS = 60 * 60_000;
/** At most this many invoices remembered at once (a flood of webhooks cannot grow the process). */
const WEBHOOK_MEMORY_MAX = 10_000;

/** One order's status change, as OrderStore tells it once committed. */
export interface StatusChange {
  order: Pick<Order, 'invoiceId' | 'kind' | 'paymentMethod' | 'status' | 'amount'>;
  to: Exclude<OrderStatus, 'pending'>;
}

/**
 * Orders' own metrics (docs/operations.md §17): order status changes, payment outcomes, the time from
 * Pakasir's webhook to the order being paid, late refunds, webhooks, Pakasir calls, and what is read
 * from the database on each scrape (the audit outbox's backlog, the pool).
 */
export function ordersMetrics(registry: Registry) {
  const statusChanges = new Counter({
    name: 'quickcart_order_status_changes_total',
    help: 'Order status changes committed, by kind (purchase, deposit), payment method, from and to',
    labelNames: ['kind', 'method', 'from', 'to'],
    registers: [registry],
  });
  const payments = new Counter({
    name: 'quickcart_payments_total',
    help: 'Payments by kind, method and outcome (paid, expired, cancelled, failed, payment_unknown, late_refunded)',
    labelNames: ['kind', 'method', 'outcome'],
    registers: [registry],
  });
  const paidRupiah = new Counter({
    name: 'quickcart_paid_rupiah_total',
    help: 'Rupiah of orders paid (subtotal less voucher, before the QRIS fee), by kind and method',
    labelNames: ['kind', 'method'],
    registers: [registry],
  });
  const webhookToPaid = new Histogram({
    name: 'quickcart_payment_webhook_to_paid_seconds',
    help: "Time from Pakasir's first webhook for an invoice to its order being paid (webhooks remembered 1 h in this process)",
    buckets: [0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60, 300],
    registers: [registry],
  });
  const lateRefunds = new Counter({
    name: 'quickcart_late_refunds_total',
    help: 'Payments that arrived after their order closed, refunded to the balance',
    registers: [registry],
  });
  const lateRefundedRupiah = new Counter({
    name: 'quickcart_late_refunded_rupiah_total',
    help: 'Rupiah refunded to balances for late payments',
    registers: [registry],
  });
  const webhooks = new Counter({
    name: 'quickcart_pakasir_webhooks_total',
    help: "Pakasir webhooks received at the right secret path, by result (confirmed, or the refusal's reason)",
    labelNames: ['result'],
    registers: [registry],
  });
  const pakasirCalls = pakasirCallMetrics(registry);

  const webhookSeen = new Map<string, number>();
  const forgetOld = (now: number) => {
    for (const [invoiceId, at] of webhookSeen) {
      if (now - at <= WEBHOOK_MEMORY_MS && webhookSeen.size < WEBHOOK_MEMORY_MAX) break;
      webhookSeen.delete(invoiceId); // a Map iterates oldest first
    }
  };

  return {
    pakasirCalls,
    statusChanged({ order, to }: StatusChange): void {
      statusChanges.inc({ kind: order.kind, method: order.paymentMethod, from: order.status, to });
      payments.inc({ kind: order.kind, method: order.paymentMethod, outcome: to });
      if (to !== 'paid') return;
      paidRupiah.inc({ kind: order.kind, method: order.paymentMethod }, order.amount);
      const seen = webhookSeen.get(order.invoiceId);
      if (seen === undefined) return;
      webhookSeen.delete(order.invoiceId);
      webhookToPaid.observe((Date.now() - seen) / 1000);
    },
    /** A webhook with the right secret and project: the first one per invoice starts the clock. */
    webhookArrived(invoiceId: string): void {
      const now = Date.now();
      forgetOld(now);
      if (!webhookSeen.has(invoiceId)) webhookSeen.set(invoiceId, now);
    },
    webhookAnswered(result: string): void {
      webhooks.inc({ result });
    },
    lateRefunded(order: Pick<Order, 'kind' | 'paymentMethod'>, amount: number): void {
      lateRefunds.inc();
      lateRefundedRupiah.inc(amount);
      payments.inc({ kind: order.kind, method: order.paymentMethod, outcome: 'late_refunded' });
    },
  };
}
export type OrdersMetrics = ReturnType<typeof ordersMetrics>;

/** Broadcasts still sending, read on each scrape; their messages are counted by the worker. */
export function broadcastGauge(registry: Registry, sequelize: Sequelize): void {
  new Gauge({
    name: 'quickcart_broadcasts_sending',
    help: 'Broadcasts whose workflow has not finished yet',
    registers: [registry],
    async collect() {
      const [[row]] = (await sequelize.query(
        "SELECT count(*)::int AS n FROM orders.broadcasts WHERE status = 'sending'",
      )) as [{ n: number }[], unknown];
      this.set(row?.n ?? 0);
    },
  });
}

/**
 * Payments that need a person or are late, read on each scrape: orders parked in payment_unknown, and
 * pending orders older than `overdueAfterMs` (their workflow should have closed them). That threshold
 * is /stuck's own (StuckOrders' overdueAfterMs: PAYMENT_TIMEOUT + STUCK_GRACE), so the gauge, the
 * owner's alert and the list never disagree.
 */
export function stuckOrdersGauge(registry: Registry, sequelize: Sequelize, overdueAfterMs: number): void {
  new Gauge({
    name: 'quickcart_orders_stuck',
    help: 'Orders needing attention: payment_unknown, or pending past their payment window (pending_overdue)',
    labelNames: ['state'],
    registers: [registry],
    async collect() {
      const [[row]] = (await sequelize.query(
        `SELECT count(*) FILTER (WHERE status = 'payment_unknown')::int AS unknown,
                count(*) FILTER (WHERE status = 'pending'
                                   AND created_at < now() - make_interval(secs => :seconds))::int AS overdue
           FROM orders.orders WHERE status IN ('pending', 'payment_unknown')`,
        { replacements: { seconds: overdueAfterMs / 1000 } },
      )) as [{ unknown: number; overdue: number }[], unknown];
      this.set({ state: 'payment_unknown' }, row?.unknown ?? 0);
      this.set({ state: 'pending_overdue' }, row?.overdue ?? 0);
    },
  });
}

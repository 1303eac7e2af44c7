import { QueryTypes } from 'sequelize';
import type { Sequelize } from 'sequelize-typescript';
import { REPORT_TOP, salesReport, type SalesReport } from '../contract';
import type { ResolvedPeriod } from './period';

/**
 * /report (docs/features.md §3.5): the period's figures, by SQL aggregates over orders' own tables (never
 * Temporal). "Paid in the period" is by `paid_at`; orders made in the period by `created_at`; refunds by
 * the ledger entry that returned the money. Each range is [from, to).
 */
export class SalesReports {
  constructor(private readonly sequelize: Sequelize) {}

  async report(p: ResolvedPeriod): Promise<SalesReport> {
    const replacements = { from: p.from, to: p.to, top: REPORT_TOP };
    const select = <T extends object>(sql: string) =>
      this.sequelize.query<T>(sql, { replacements, type: QueryTypes.SELECT });
    const [[totals], [refunds], topProducts, topBuyers] = await Promise.all([
      select<Record<string, string>>(`
        SELECT count(*) FILTER (WHERE created_at >= :from AND created_at < :to) AS "ordersCreated",
               count(*) FILTER (WHERE ${PAID_PURCHASE}) AS "purchaseCount",
               COALESCE(sum(subtotal - voucher_discount) FILTER (WHERE ${PAID_PURCHASE}), 0) AS revenue,
               COALESCE(sum(voucher_discount) FILTER (WHERE ${PAID_PURCHASE}), 0) AS "voucherDiscount",
               count(*) FILTER (WHERE ${PAID_PURCHASE} AND payment_method = 'qris') AS "qrisCount",
               COALESCE(sum(subtotal - voucher_discount)
                 FILTER (WHERE ${PAID_PURCHASE} AND payment_method = 'qris'), 0) AS "qrisRevenue",
               count(*) FILTER (WHERE ${PAID_PURCHASE} AND payment_method = 'balance') AS "balanceCount",
               COALESCE(sum(subtotal - voucher_discount)
                 FILTER (WHERE ${PAID_PURCHASE} AND payment_method = 'balance'), 0) AS "balanceRevenue",
               COALESCE(sum(payment_fee) FILTER (WHERE ${PAID} AND payment_method = 'qris'), 0) AS "qrisFees",
               count(*) FILTER (WHERE ${PAID} AND kind = 'deposit') AS "depositCount",
               COALESCE(sum(subtotal) FILTER (WHERE ${PAID} AND kind = 'deposit'), 0) AS "depositAmount",
               (SELECT COALESCE(sum(i.quantity), 0) FROM orders.order_items i
                  JOIN orders.orders o ON o.id = i.order_id
                 WHERE o.kind = 'purchase' AND o.status = 'paid'
                   AND o.paid_at >= :from AND o.paid_at < :to) AS items
          FROM orders.orders
         WHERE (created_at >= :from AND created_at < :to) OR (paid_at >= :from AND paid_at < :to)`),
      // Money given back to balances: late payments refunded, and refunds (docs/features.md §2.6).
      select<{ count: string; amount: string }>(`
        SELECT count(*) AS count, COALESCE(sum(delta), 0) AS amount FROM orders.ledger
         WHERE reason IN ('refund', 'late_payment') AND delta > 0
           AND created_at >= :from AND created_at < :to`),
      select<{ productId: number; name: string; quantity: string; revenue: string }>(`
        SELECT i.product_id AS "productId", max(i.product_name) AS name, sum(i.quantity) AS quantity,
               sum(o.subtotal - o.voucher_discount) AS revenue
          FROM orders.orders o JOIN orders.order_items i ON i.order_id = o.id
         WHERE o.kind = 'purchase' AND o.status = 'paid' AND o.paid_at >= :from AND o.paid_at < :to
         GROUP BY i.product_id ORDER BY revenue DESC, quantity DESC, i.product_id LIMIT :top`),
      select<{ userId: string; name: string; orders: string; revenue: string }>(`
        SELECT u.id AS "userId", u.name, count(*) AS orders, sum(o.subtotal - o.voucher_discount) AS revenue
          FROM orders.orders o JOIN orders.users u ON u.id = o.user_id
         WHERE o.kind = 'purchase' AND o.status = 'paid' AND o.paid_at >= :from AND o.paid_at < :to
         GROUP BY u.id, u.name ORDER BY revenue DESC, orders DESC, u.id LIMIT :top`),
    ]);
    return salesReport.parse({
      period: { firstDay: p.firstDay, lastDay: p.lastDay, timezone: p.timezone },
      ordersCreated: totals.ordersCreated,
      purchases: {
        count: totals.purchaseCount,
        revenue: totals.revenue,
        voucherDiscount: totals.voucherDiscount,
        items: totals.items,
      },
      byMethod: {
        qris: { count: totals.qrisCount, revenue: totals.qrisRevenue },
        balance: { count: totals.balanceCount, revenue: totals.balanceRevenue },
      },
      qrisFees: totals.qrisFees,
      deposits: { count: totals.depositCount, amount: totals.depositAmount },
      refunds: { count: refunds.count, amount: refunds.amount },
      topProducts,
      topBuyers,
    });
  }
}

/** Paid in the period: what "paid" means is orders' status (order-store.ts), when is paid_at. */
const PAID = `status = 'paid' AND paid_at >= :from AND paid_at < :to`;
const PAID_PURCHASE = `kind = 'purchase' AND ${PAID}`;

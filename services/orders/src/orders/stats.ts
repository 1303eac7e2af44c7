import { Conflict, NotFound } from '@quickcart/kit';
import { QueryTypes } from 'sequelize';
import type { Sequelize } from 'sequelize-typescript';
import type { ShopSettings } from '../admin/shop-settings';
import { estimateRefund, type RefundEstimate } from './refund';
import { ORDERS_REFUSAL } from '../contract';

/** Figures the bot shows: the main menu's totals, Top Buyers, and the refund estimate. */
export class ShopStats {
  constructor(
    private readonly sequelize: Sequelize,
    private readonly settings: ShopSettings,
    /** The customer's warranty claims for the multiplier (warranty/warranty-claims.ts owns which count). */
    private readonly claims: { countFor(userId: number): Promise<number> },
  ) {}

  /** docs/features.md §2.2: total users, and total transactions = paid orders. */
  async totals(): Promise<{ totalUsers: number; totalTransactions: number }> {
    const [row] = await this.sequelize.query<{ totalUsers: number; totalTransactions: number }>(
      `SELECT (SELECT count(*) FROM orders.users) AS "totalUsers",
              (SELECT count(*) FROM orders.orders WHERE status = 'paid' AND kind = 'purchase') AS "totalTransactions"`,
      { type: QueryTypes.SELECT },
    );
    return row;
  }

  /** §2.3 Top Buyers: highest paid purchase totals; names only, never ids or contact data. */
  async topBuyers(limit: number): Promise<{ name: string; total: number; orders: number }[]> {
    return this.sequelize.query(
      `SELECT u.name, CAST(sum(o.total) AS bigint) AS total, count(*) AS orders
         FROM orders.orders o JOIN orders.users u ON u.id = o.user_id
        WHERE o.status = 'paid' AND o.kind = 'purchase'
        GROUP BY u.id, u.name ORDER BY total DESC, orders DESC, u.id LIMIT :limit`,
      { replacements: { limit }, type: QueryTypes.SELECT },
    );
  }

  /** §3.4 /refund INV: only for the asking user's own paid purchase. */
  async refundEstimate(
    invoiceId: string,
    userId: number,
    now = new Date(),
  ): Promise<RefundEstimate & { invoiceId: string }> {
    const [order] = await this.sequelize.query<{
      user_id: number;
      subtotal: number;
      voucher_discount: number;
      status: string;
      kind: string;
      paid_at: Date | null;
    }>(
      'SELECT user_id, subtotal, voucher_discount, status, kind, paid_at FROM orders.orders WHERE invoice_id = :invoiceId',
      { replacements: { invoiceId }, type: QueryTypes.SELECT },
    );
    if (!order || order.user_id !== userId)
      throw new NotFound(`invoice ${invoiceId} not found`, ORDERS_REFUSAL.order);
    if (order.status !== 'paid' || order.kind !== 'purchase' || !order.paid_at) {
      throw new Conflict(`invoice ${invoiceId} is not a paid purchase`, ORDERS_REFUSAL.notPaid);
    }
    const formula = await this.settings.refundFormula();
    const claims = await this.claims.countFor(userId);
    const estimate = estimateRefund(
      { purchasePrice: order.subtotal - order.voucher_discount, paidAt: order.paid_at, now, claims },
      formula,
    );
    return { ...estimate, invoiceId };
  }
}

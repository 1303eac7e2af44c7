import type { AuditOutbox } from '@quickcart/audit';
import { Conflict, Upstream } from '@quickcart/kit';
import { ledgerKeys } from '@quickcart/workflow-api';
import { QueryTypes, type Transaction } from 'sequelize';
import type { Sequelize } from 'sequelize-typescript';
import { ORDERS_REFUSAL, type LatePaymentRefund, type Order } from '../contract';
import type { Ledger } from '../ledger/ledger';
import type { OrderStore } from '../orders/order-store';

/**
 * Which closed orders a payment can still arrive for: expired and cancelled ones, and failed ones that
 * got as far as showing their QR (an order that failed before, e.g. out of stock, had no invoice to pay).
 * A paid order's payment was used (goods delivered, deposit credited); a pending one's belongs to its
 * workflow. One rule for the refund and for the list reconciliation checks.
 */
const LATE_PAYABLE_SQL = `payment_method = 'qris' AND refunded_at IS NULL
  AND status IN ('expired', 'cancelled', 'failed')`;

/**
 * What reconciliation asks Pakasir about: a failed order only when Pakasir opened its invoice (its
 * answer is recorded) or its QR was shown, since a flash sale leaves many failed orders that never had
 * one. A failed order whose QR send was lost (the customer saw it, we never learnt its id) is asked
 * about too: a lost webhook for it would otherwise go unseen (found by npm run chaos).
 */
const RECONCILE_SQL = `${LATE_PAYABLE_SQL}
  AND (status <> 'failed' OR qr_message_id IS NOT NULL OR invoice_total_payment IS NOT NULL)`;

/**
 * docs/features.md §2.6: a QRIS payment that reaches Pakasir after its order closed is not lost, it is
 * refunded to the balance (the fee is kept). Decided here, under the order's row lock, in one
 * transaction with the ledger credit and the order's record of it, so a webhook, the status button,
 * the workflow's own last check and reconciliation can all ask at once: one refund, and never for an
 * order whose payment was taken. Every caller has confirmed the payment with Pakasir first.
 */
export class LatePayments {
  constructor(
    private readonly sequelize: Sequelize,
    private readonly outbox: AuditOutbox,
    private readonly orders: OrderStore,
    private readonly ledger: Ledger,
    /** Told of each refund once committed (metrics). */
    private readonly onRefund: (order: Order) => void = () => {},
  ) {}

  async refund(invoiceId: string, actor: string): Promise<LatePaymentRefund> {
    return this.sequelize
      .transaction(async (t) => {
        const order = await this.orders.get(invoiceId, t, true);
        if (order.refundedAmount !== null) return this.refundOf(invoiceId, t);
        const [payable] = await this.sequelize.query(
          `SELECT 1 FROM orders.orders WHERE invoice_id = :invoiceId AND ${LATE_PAYABLE_SQL}`,
          { replacements: { invoiceId }, type: QueryTypes.SELECT, transaction: t },
        );
        if (!payable && (order.status === 'pending' || order.status === 'payment_unknown')) {
          // Not late yet: its run takes the payment, or, when an operator ended the run, the sweep closes
          // the order (docs/architecture.md §6) and this refund goes through on the caller's next try.
          // Refused for good here, the money stayed at Pakasir (chaos: a terminated deposit run, paid).
          throw new Upstream(
            `order ${invoiceId} is ${order.status}: a payment for it is not late yet`,
            true,
            'order_still_open',
          );
        }
        if (!payable) {
          throw new Conflict(
            `order ${invoiceId} is ${order.status} (${order.paymentMethod}): a payment for it is not late`,
            ORDERS_REFUSAL.notLatePayment,
            { status: order.status },
          );
        }
        // One key for every rupiah paid for this invoice: a deposit's credit and a late refund can
        // never both be posted for it.
        await this.ledger.postWithin(
          {
            userId: order.userId,
            delta: order.amount,
            reason: 'late_payment',
            reference: invoiceId,
            idempotencyKey: ledgerKeys.payment(invoiceId),
            actor,
          },
          t,
        );
        await this.sequelize.query(
          `UPDATE orders.orders SET refunded_amount = :amount, refunded_at = now(), updated_at = now()
            WHERE invoice_id = :invoiceId`,
          { replacements: { invoiceId, amount: order.amount }, transaction: t },
        );
        await this.outbox.add(
          {
            actor,
            action: 'order.late_payment_refunded',
            target: { type: 'order', id: invoiceId },
            before: { status: order.status, refundedAmount: null },
            after: { status: order.status, refundedAmount: order.amount },
            reference: invoiceId,
            idempotencyKey: `order:${invoiceId}:late-refund`,
          },
          t,
        );
        t.afterCommit(() => this.onRefund(order));
        return this.refundOf(invoiceId, t);
      })
      .finally(() => this.outbox.flushSoon());
  }

  /** A page of orders that reconciliation asks Pakasir about, by invoice id after `after`. */
  async candidates(q: { sinceHours: number; after?: string; limit: number }) {
    const items = await this.sequelize.query<{ invoiceId: string; userId: number; amount: number }>(
      `SELECT invoice_id AS "invoiceId", user_id AS "userId", subtotal - voucher_discount AS amount
         FROM orders.orders
        WHERE ${RECONCILE_SQL}
          AND updated_at > now() - make_interval(hours => :sinceHours)
          AND invoice_id > :after
        ORDER BY invoice_id LIMIT :limit`,
      {
        replacements: { sinceHours: q.sinceHours, after: q.after ?? '', limit: q.limit },
        type: QueryTypes.SELECT,
      },
    );
    return { items };
  }

  private async refundOf(invoiceId: string, t: Transaction): Promise<LatePaymentRefund> {
    const [row] = await this.sequelize.query<{
      user_id: number;
      refunded_amount: number;
      refunded_at: Date;
      status: Order['status'];
    }>(
      'SELECT user_id, refunded_amount, refunded_at, status FROM orders.orders WHERE invoice_id = :invoiceId',
      { replacements: { invoiceId }, type: QueryTypes.SELECT, transaction: t },
    );
    return {
      invoiceId,
      userId: row.user_id,
      refunded: row.refunded_amount,
      refundedAt: row.refunded_at.toISOString(),
      status: row.status,
    };
  }
}

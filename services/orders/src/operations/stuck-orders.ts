import type { AuditOutbox } from '@quickcart/audit';
import { Conflict, Invalid, type Logger } from '@quickcart/kit';
import { paymentState, type PakasirClient } from '@quickcart/pakasir';
import { QueryTypes } from 'sequelize';
import type { Sequelize } from 'sequelize-typescript';
import {
  ORDERS_REFUSAL,
  STUCK_PAGE_SIZE,
  type PakasirAnswer,
  type StuckOrders as StuckPage,
  type StuckReason,
} from '../contract';
import type { OrderStore } from '../orders/order-store';
import type { PaymentConfirmation } from '../payments/payment-confirmation';
import type { ShopWorkflows } from '../shop-workflows';

export interface StuckOrdersDeps {
  sequelize: Sequelize;
  orders: OrderStore;
  workflows: ShopWorkflows;
  pakasir: PakasirClient;
  confirmation: PaymentConfirmation;
  outbox: AuditOutbox;
  logger: Logger;
  /** A pending order older than this has outlived its window: PAYMENT_TIMEOUT + STUCK_GRACE. */
  overdueAfterMs: number;
}

const REASON: Record<string, StuckReason> = {
  paid: 'delivery_failed',
  payment_unknown: 'payment_unknown',
  pending: 'overdue',
};

/**
 * /stuck (docs/features.md §3.2): the orders that need a person, oldest first, and the two things an
 * admin can do about one from the bot. Each of those is audited like every admin action.
 */
export class StuckOrders {
  constructor(private readonly d: StuckOrdersDeps) {}

  async list(page: number): Promise<StuckPage> {
    const { rows, temporalUnavailable } = await this.stuckRows();
    const totalPages = Math.max(1, Math.ceil(rows.length / STUCK_PAGE_SIZE));
    const current = Math.min(page, totalPages);
    const shown = rows.slice((current - 1) * STUCK_PAGE_SIZE, current * STUCK_PAGE_SIZE);
    const items = await Promise.all(
      shown.map(async (r) => ({ reason: REASON[r.status], order: await this.d.orders.get(r.invoice_id) })),
    );
    return { items, page: current, totalPages, totalItems: rows.length, temporalUnavailable };
  }

  /** For the owner's alerts: how many deliveries are parked (null: Temporal did not say) and payments stuck. */
  async counts(): Promise<{ deliveryFailed: number | null; payments: number }> {
    const { rows, temporalUnavailable } = await this.stuckRows();
    const failed = rows.filter((r) => REASON[r.status] === 'delivery_failed').length;
    return { deliveryFailed: temporalUnavailable ? null : failed, payments: rows.length - failed };
  }

  private async stuckRows() {
    let failed: string[] = [];
    let temporalUnavailable = false;
    try {
      failed = await this.d.workflows.deliveryFailedInvoices();
    } catch (error) {
      // The orders' own table still answers for the rest; the reply says what is missing.
      temporalUnavailable = true;
      this.d.logger.warn('could not list delivery_failed workflows', { error });
    }
    const rows = await this.d.sequelize.query<{ invoice_id: string; status: string }>(
      `SELECT invoice_id, status FROM orders.orders
        WHERE status = 'payment_unknown'
           OR (status = 'pending' AND created_at < now() - make_interval(secs => :overdueSecs))
           OR (status = 'paid' AND invoice_id IN (SELECT jsonb_array_elements_text(CAST(:failed AS jsonb))))
        ORDER BY created_at, id`,
      {
        replacements: { overdueSecs: this.d.overdueAfterMs / 1000, failed: JSON.stringify(failed) },
        type: QueryTypes.SELECT,
      },
    );
    return { rows, temporalUnavailable };
  }

  /** "🔁 Kirim ulang": the `redeliver` signal to a paid purchase's running workflow. */
  async redeliver(invoiceId: string, actor: string): Promise<void> {
    const order = await this.d.orders.get(invoiceId);
    const refuse = (why: string) =>
      new Conflict(`order ${invoiceId} cannot be redelivered: ${why}`, ORDERS_REFUSAL.notRedeliverable);
    if (order.kind !== 'purchase' || order.status !== 'paid') throw refuse(`a ${order.kind} ${order.status}`);
    // On the record first: a signal sent is never unaudited.
    await this.audit(actor, 'order.redeliver', invoiceId, undefined);
    if (!(await this.d.workflows.redeliver(order))) throw refuse('its workflow has ended');
  }

  /**
   * "🔍 Cek Pakasir": Pakasir's transaction detail, read by the one rule of paid. A paid answer for an
   * open order goes on to its workflow exactly as the status button's does (PaymentConfirmation).
   */
  async askPakasir(invoiceId: string, actor: string): Promise<PakasirAnswer> {
    const order = await this.d.orders.get(invoiceId);
    if (order.paymentMethod !== 'qris')
      throw new Invalid(`order ${invoiceId} is not a QRIS payment`, ORDERS_REFUSAL.notQris);
    const answer = await paymentState(this.d.pakasir, { orderId: invoiceId, amount: order.amount });
    await this.audit(actor, 'order.pakasir_check', invoiceId, answer);
    if (answer.state === 'paid' && order.status !== 'paid')
      await this.d.confirmation.check(invoiceId, `admin:${actor}`);
    return { invoiceId, orderStatus: (await this.d.orders.get(invoiceId)).status, answer };
  }

  private async audit(actor: string, action: string, invoiceId: string, after: unknown): Promise<void> {
    await this.d.sequelize
      .transaction((t) =>
        this.d.outbox.add(
          { actor, action, target: { type: 'order', id: invoiceId }, after, reference: invoiceId },
          t,
        ),
      )
      .finally(() => this.d.outbox.flushSoon());
  }
}

import { Invalid, type Logger } from '@quickcart/kit';
import { isPaid, type PakasirClient } from '@quickcart/pakasir';
import type { Order } from '../contract';
import type { OrderStore } from '../orders/order-store';
import type { PaymentWorkflows } from './payment-workflows';

export type PaymentCheck = 'paid' | 'unpaid' | 'closed';

/**
 * Turns "Pakasir says it is paid" (a webhook, the Status Pembayaran button) into the right workflow
 * signal, but only after Pakasir's own transaction detail confirms it: the webhook carries no signature
 * (FEATURES.md §6), so its body is a hint, never proof.
 */
export class PaymentConfirmation {
  constructor(
    private readonly orders: OrderStore,
    private readonly pakasir: PakasirClient,
    private readonly workflows: PaymentWorkflows,
    private readonly logger: Logger,
  ) {}

  async check(invoiceId: string, source: string, claimedAmount?: number): Promise<PaymentCheck> {
    const order = await this.orders.get(invoiceId);
    if (order.paymentMethod !== 'qris')
      throw new Invalid(`order ${invoiceId} is not a QRIS payment`, 'not_qris');
    if (claimedAmount !== undefined && claimedAmount !== order.amount) {
      throw new Invalid(`amount ${claimedAmount} does not match order ${invoiceId}`, 'amount_mismatch');
    }
    if (order.status === 'paid') return 'paid';
    const transaction = await this.pakasir
      .detail({ orderId: invoiceId, amount: order.amount })
      .catch((error) => {
        // Pakasir knowing no such payment (a 4xx) means unpaid; an outage is passed on to be retried.
        if ((error as { retryable?: boolean }).retryable) throw error;
        return undefined;
      });
    if (!transaction || !isPaid(transaction.status) || transaction.amount !== order.amount) {
      return order.status === 'pending' ? 'unpaid' : 'closed';
    }
    await this.dispatch(order, source);
    return 'paid';
  }

  /** A confirmed payment: to the waiting workflow, or, after expiry or cancel, to a refund (§2.6). */
  private async dispatch(order: Order, source: string): Promise<void> {
    if (order.status === 'pending' && (await this.workflows.reportPayment(order, source))) return;
    this.logger.warn('payment after the invoice closed: refunding to balance', {
      invoiceId: order.invoiceId,
      userId: order.userId,
      status: order.status,
    });
    await this.workflows.startLatePayment({
      invoiceId: order.invoiceId,
      userId: order.userId,
      amount: order.amount,
    });
  }
}

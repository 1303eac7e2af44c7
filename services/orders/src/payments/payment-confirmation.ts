import { Invalid, type Logger } from '@quickcart/kit';
import { paymentState, type PakasirClient } from '@quickcart/pakasir';
import { ORDERS_REFUSAL, type Order } from '../contract';
import type { OrderStore } from '../orders/order-store';
import type { ShopWorkflows } from '../shop-workflows';

export type PaymentCheck = 'paid' | 'unpaid' | 'closed';

/**
 * Turns "Pakasir says it is paid" (a webhook, the Status Pembayaran button) into the right workflow
 * signal, but only after Pakasir's own transaction detail confirms it: the webhook carries no signature
 * (docs/features.md §6), so its body is a hint, never proof.
 */
export class PaymentConfirmation {
  constructor(
    private readonly orders: OrderStore,
    private readonly pakasir: PakasirClient,
    private readonly workflows: ShopWorkflows,
    private readonly logger: Logger,
  ) {}

  async check(invoiceId: string, source: string, claimedAmount?: number): Promise<PaymentCheck> {
    const order = await this.orders.get(invoiceId);
    if (order.paymentMethod !== 'qris')
      throw new Invalid(`order ${invoiceId} is not a QRIS payment`, ORDERS_REFUSAL.notQris);
    if (claimedAmount !== undefined && claimedAmount !== order.amount) {
      throw new Invalid(
        `amount ${claimedAmount} does not match order ${invoiceId}`,
        ORDERS_REFUSAL.amountMismatch,
      );
    }
    if (order.status === 'paid') return 'paid';
    // The one rule of "paid" (an outage is thrown, to be retried by the caller).
    const answer = await paymentState(this.pakasir, { orderId: invoiceId, amount: order.amount });
    if (answer.state !== 'paid') {
      // Unknown moves nothing here: the workflow (or reconciliation) keeps asking until Pakasir says.
      if (answer.state === 'unknown')
        this.logger.warn('pakasir gave no usable answer', { invoiceId, source, reason: answer.reason });
      return order.status === 'pending' ? 'unpaid' : 'closed';
    }
    await this.dispatch(order, source);
    return 'paid';
  }

  /**
   * A confirmed payment: to the waiting workflow, or, after expiry or cancel, to a refund (§2.6). The
   * refund's workflow asks orders, which decides under the order's lock whether the payment is late.
   */
  private async dispatch(read: Order, source: string): Promise<void> {
    // A parked order's workflow is still asking Pakasir: the report makes it ask now.
    const open = read.status === 'pending' || read.status === 'payment_unknown';
    if (open && (await this.workflows.reportPayment(read, source))) return;
    // Pakasir's answer may have taken seconds: a workflow that closed meanwhile with the order paid took
    // this very payment (a second webhook, the status button, its own poll). Nothing is late.
    const order = open ? await this.orders.get(read.invoiceId) : read;
    if (order.status === 'paid') return;
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

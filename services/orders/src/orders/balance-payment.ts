import { ledgerKeys } from '@quickcart/workflow-api';
import type { Transaction } from 'sequelize';
import type { LedgerEntry, Order } from '../contract';
import type { Ledger } from '../ledger/ledger';

/**
 * The one money rule of a balance purchase (docs/architecture.md §5): the debit is taken only while
 * the order is pending, and an order that leaves pending without being paid gets it back, in the
 * same transaction as its status change, once. Both run under the order's row lock, so whichever of
 * the two comes first decides: a give-back before the debit leaves nothing to debit.
 */
export class BalancePayment {
  constructor(private readonly ledger: Ledger) {}

  /** The debit of the stored total (never a caller's amount), under the caller's order lock. */
  debitWithin(order: Order, t: Transaction): Promise<LedgerEntry> {
    return this.ledger.postWithin(
      {
        userId: order.userId,
        delta: -order.total,
        reason: 'purchase',
        reference: order.invoiceId,
        idempotencyKey: ledgerKeys.purchase(order.invoiceId),
        actor: 'system',
      },
      t,
    );
  }

  /** The debit taken for `order`, if any. */
  takenWithin(order: Order, t: Transaction): Promise<LedgerEntry | undefined> {
    return this.ledger.byKey(ledgerKeys.purchase(order.invoiceId), t);
  }

  /** Credits back the debit of an order closing unpaid; nothing when none was taken. */
  async giveBackWithin(order: Order, actor: string, t: Transaction): Promise<void> {
    if (order.paymentMethod !== 'balance') return;
    const debit = await this.takenWithin(order, t);
    if (!debit || debit.delta >= 0) return;
    await this.ledger.postWithin(
      {
        userId: order.userId,
        delta: -debit.delta,
        reason: 'refund',
        reference: order.invoiceId,
        idempotencyKey: ledgerKeys.purchaseRefund(order.invoiceId),
        actor,
      },
      t,
    );
  }
}

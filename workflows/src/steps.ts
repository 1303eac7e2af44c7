import { applies } from './patches';
import {
  isCancellation,
  setHandler,
  upsertSearchAttributes,
  ActivityFailure,
  ApplicationFailure,
} from '@temporalio/workflow';
import {
  cancelPayment,
  ledgerKeys,
  paymentReceived,
  SA,
  statusQuery,
  type WorkflowStatus,
} from '@quickcart/workflow-api';
import type { PaidVia } from '@quickcart/pakasir';
import type { PaymentSignals } from './payment-window';
import type { PaymentActivities } from './worker/activities';
import { services, tidy } from './proxies';
import { notice, tellAdmins } from './notices';

/** The status an operator sees: kept in the `status` query and the OrderStatus search attribute. */
export function trackStatus(initial: WorkflowStatus): (next: WorkflowStatus) => void {
  let status = initial;
  setHandler(statusQuery, () => status);
  return (next) => {
    status = next;
    upsertSearchAttributes([{ key: SA.OrderStatus, value: next }]);
  };
}

/** Where a payment workflow moves its stored order (never back to pending). */
export type OrderMove = Parameters<PaymentActivities['markOrder']>[0]['to'];

/**
 * The one status step (the Temporal order reference app's `updateStatus`): the stored order moves, then
 * the workflow's own status (query and search attribute) follows, so the two cannot drift. `shown` is
 * the workflow's status when it says more than the order's (paid → `delivering`, `credited`).
 */
export async function updateStatus(
  p: { invoiceId: string; setStatus: (s: WorkflowStatus) => void; paidVia?: PaidVia },
  to: OrderMove,
  o: { shown?: WorkflowStatus; stockItemIds?: string[] } = {},
): Promise<void> {
  const { invoiceId } = p;
  // A paid QRIS order takes the method and fee Pakasir confirmed (docs/features.md §6.1).
  const paidVia = to === 'paid' && p.paidVia ? { paidVia: p.paidVia } : {};
  await services.markOrder(
    o.stockItemIds
      ? { invoiceId, to, stockItemIds: o.stockItemIds, ...paidVia }
      : { invoiceId, to, ...paidVia },
  );
  p.setStatus(o.shown ?? to);
}

/** Signal handlers every payment workflow has: a reported payment nudges, a cancel is remembered. */
export function listenForPayment(): PaymentSignals {
  const signals: PaymentSignals = { nudged: false };
  setHandler(paymentReceived, () => void (signals.nudged = true));
  setHandler(cancelPayment, ({ reason }) => void (signals.cancelled ??= reason));
  return signals;
}

/**
 * The business refusal an activity ended with: a non-retryable ApplicationFailure, wrapped in an
 * ActivityFailure by a remote activity and thrown as it is by a local one (proxies.ts).
 */
export function refusalOf(error: unknown): ApplicationFailure | undefined {
  if (isCancellation(error)) return undefined;
  const failure = error instanceof ActivityFailure ? error.cause : error;
  return failure instanceof ApplicationFailure && failure.nonRetryable === true ? failure : undefined;
}

/** True when an activity ended with a non-retryable failure of this type (a business refusal). */
export function refusedAs(error: unknown, type: string): boolean {
  return refusalOf(error)?.type === type;
}

/**
 * docs/features.md §2.6: the QR message is deleted; if deleting fails it is edited instead; if both fail
 * after retries, admins are told (the new message the caller sends next is the customer's fallback).
 */
export async function retractQrMessage(a: {
  invoiceId: string;
  userId: number;
  messageId?: number;
}): Promise<void> {
  if (a.messageId === undefined) return;
  const where = { chatId: a.userId, messageId: a.messageId };
  try {
    await tidy().deleteMessage({ ...where, key: `qr-delete:${a.invoiceId}` });
    return;
  } catch {
    // fall through to the edit
  }
  try {
    await tidy().editMessage({
      ...where,
      key: `qr-edit:${a.invoiceId}`,
      message: { template: 'invoice.expired', data: { invoiceId: a.invoiceId } },
    });
  } catch {
    const key = `qr-cleanup-failed:${a.invoiceId}`;
    await notice(key, (t) =>
      t.notifyAdmins({
        key,
        message: { template: 'admin.qr_cleanup_failed', data: { invoiceId: a.invoiceId, userId: a.userId } },
      }),
    );
  }
}

/**
 * Runs that posted the refund themselves (recorded histories, runs in flight at a deploy) keep doing so
 * on replay; every new run asks orders, which decides under the order's lock (and a late payment's run
 * reads Pakasir's three-way answer, late-payment.ts).
 */
export const LATE_REFUND_BY_ORDERS = 'late-refund-by-orders';

/**
 * A payment confirmed after its invoice closed is not lost (docs/features.md §2.6, §8.9): the order amount
 * goes to the customer's balance (the fee is kept), once per invoice whoever gets here first. Orders
 * decides whether it is late: an order that is paid (its goods or credit were given) or still pending
 * (its workflow takes the payment) is refused, as a non-retryable failure of the caller.
 */
export async function refundLatePayment(a: {
  invoiceId: string;
  userId: number;
  amount: number;
}): Promise<number> {
  let refunded = a.amount;
  if (applies(LATE_REFUND_BY_ORDERS)) {
    refunded = (await services.refundLatePayment({ invoiceId: a.invoiceId })).refunded;
  } else {
    await services.postLedger({
      userId: a.userId,
      delta: a.amount,
      reason: 'late_payment',
      invoiceId: a.invoiceId,
      key: ledgerKeys.latePayment(a.invoiceId),
    });
  }
  // The money is credited: a message Telegram refuses must not undo that (notices are best effort).
  const told = `late-refunded:${a.invoiceId}`;
  await notice(told, (t) =>
    t.sendMessage({
      chatId: a.userId,
      key: told,
      message: { template: 'late_payment.refunded', data: { invoiceId: a.invoiceId, refunded } },
    }),
  );
  const key = `late-payment:${a.invoiceId}`;
  await tellAdmins(key, {
    template: 'admin.late_payment',
    data: { invoiceId: a.invoiceId, userId: a.userId, refunded },
  });
  return refunded;
}

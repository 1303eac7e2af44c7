import {
  isCancellation,
  setHandler,
  upsertSearchAttributes,
  ActivityFailure,
  ApplicationFailure,
} from '@temporalio/workflow';
import { SA } from './shared/search-attributes';
import {
  cancelPayment,
  ledgerKeys,
  paymentReceived,
  statusQuery,
  type WorkflowStatus,
} from './shared/workflow-api';
import type { PaymentSignals } from './payment-window';
import { services, telegram, tidy } from './proxies';

/** The status an operator sees: kept in the `status` query and the OrderStatus search attribute. */
export function trackStatus(initial: WorkflowStatus): (next: WorkflowStatus) => void {
  let status = initial;
  setHandler(statusQuery, () => status);
  return (next) => {
    status = next;
    upsertSearchAttributes([{ key: SA.OrderStatus, value: next }]);
  };
}

/** Signal handlers every payment workflow has: a reported payment nudges, a cancel is remembered. */
export function listenForPayment(): PaymentSignals {
  const signals: PaymentSignals = { nudged: false };
  setHandler(paymentReceived, () => void (signals.nudged = true));
  setHandler(cancelPayment, ({ reason }) => void (signals.cancelled ??= reason));
  return signals;
}

/** True when an activity ended with a non-retryable failure of this type (a business refusal). */
export function refusedAs(error: unknown, type: string): boolean {
  if (isCancellation(error)) return false;
  return (
    error instanceof ActivityFailure && error.cause instanceof ApplicationFailure && error.cause.type === type
  );
}

/**
 * FEATURES.md §2.6: the QR message is deleted; if deleting fails it is edited instead; if both fail
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
    await telegram().notifyAdmins({
      key: `qr-cleanup-failed:${a.invoiceId}`,
      message: { template: 'admin.qr_cleanup_failed', data: { invoiceId: a.invoiceId, userId: a.userId } },
    });
  }
}

/**
 * A payment confirmed after its invoice closed is not lost (FEATURES.md §2.6, §8.9): the order amount
 * goes to the customer's balance (the fee is kept), once per invoice whoever gets here first.
 */
export async function refundLatePayment(a: {
  invoiceId: string;
  userId: number;
  amount: number;
}): Promise<void> {
  await services.postLedger({
    userId: a.userId,
    delta: a.amount,
    reason: 'late_payment',
    invoiceId: a.invoiceId,
    key: ledgerKeys.latePayment(a.invoiceId),
  });
  await telegram()
    .sendMessage({
      chatId: a.userId,
      key: `late-refunded:${a.invoiceId}`,
      message: { template: 'late_payment.refunded', data: { invoiceId: a.invoiceId, refunded: a.amount } },
    })
    .catch(() => undefined); // the money is credited; a blocked bot must not undo that
  await telegram().notifyAdmins({
    key: `late-payment:${a.invoiceId}`,
    message: {
      template: 'admin.late_payment',
      data: { invoiceId: a.invoiceId, userId: a.userId, refunded: a.amount },
    },
  });
}

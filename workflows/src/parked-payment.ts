import { log } from '@temporalio/workflow';
import { notice } from './notices';
import { waitUntilKnown, type PaymentCheck, type PaymentWindowOutcome } from './payment-window';
import type { QrisPayment } from './qris-payment';
import { updateStatus } from './steps';

/**
 * While parked, Pakasir is asked every 10 minutes for two days (a key an operator fixes, an outage of
 * its detail API), then only when someone reports a payment: the order never closes by itself unknown.
 */
const PARKED_POLL_MS = 10 * 60_000;
const PARKED_POLL_FOR_MS = 48 * 60 * 60_000;

/**
 * Issue 11: the payment window ended and Pakasir would still not say whether the invoice was paid. Closing
 * it as expired could lose a payment; delivering could give goods away. So the order is parked for an
 * operator as `payment_unknown` (it keeps its stock and voucher, the Pakasir invoice stays open), the
 * admins are told, and the workflow waits for a definite answer: `paymentReceived` makes it ask at once,
 * `cancel` is an operator deciding it is unpaid (it then closes with the usual last check).
 */
export async function parkUntilKnown(
  p: QrisPayment,
  reason: string,
  confirm: () => Promise<PaymentCheck<unknown>>,
): Promise<Exclude<PaymentWindowOutcome<unknown>, { kind: 'unknown' }>> {
  const { invoiceId, userId } = p;
  await updateStatus(p, 'payment_unknown');
  log.warn('payment unknown at the end of its window: parked for an operator', { invoiceId, reason });
  const key = `payment-unknown:${invoiceId}`;
  await notice(key, (t) =>
    t.notifyAdmins({
      key,
      message: { template: 'admin.payment_unknown', data: { invoiceId, userId, reason } },
    }),
  );
  // A cancel heard before parking (the customer's, a newer checkout's) did not decide it: only one
  // that comes now, from an operator, does.
  p.signals.cancelled = undefined;
  const outcome = await waitUntilKnown(p.signals, {
    pollEveryMs: PARKED_POLL_MS,
    pollForMs: PARKED_POLL_FOR_MS,
    confirm,
  });
  log.info('parked payment decided', { invoiceId, outcome: outcome.kind });
  return outcome;
}

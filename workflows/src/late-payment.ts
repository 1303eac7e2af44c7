import { patched } from '@temporalio/workflow';
import { pakasir } from './proxies';
import type { LatePaymentInput, PaymentResult, WorkflowStatus } from '@quickcart/workflow-api';
import { LATE_REFUND_BY_ORDERS, refundLatePayment, trackStatus } from './steps';
import { trustedLatePayment } from './stored-payment';

/**
 * A payment that reached Pakasir after its invoice had closed (the orders service starts this on the
 * webhook or the status button). Confirmed with Pakasir once more, then refunded to the balance minus
 * the fee, if orders agrees the payment is late (refundLatePayment): a paid order fails the run instead;
 * a pending one is asked about again until it closes (an operator ended its run: the sweep closes it).
 * Workflow id `late-<invoiceId>`, so it runs once per invoice. Who is refunded and how much come from the
 * stored order (trustedLatePayment), never from `startInput`.
 */
export async function latePayment(startInput: LatePaymentInput): Promise<PaymentResult> {
  const setStatus = trackStatus('paying');
  const input = await trustedLatePayment(startInput);
  const confirmed = await confirmedAtPakasir(input);
  if (confirmed !== 'paid') {
    setStatus(confirmed);
    return { status: confirmed };
  }
  const refunded = await refundLatePayment(input);
  setStatus('refunded');
  return { status: 'refunded', refunded };
}

/**
 * Pakasir's word: paid, not paid (`failed`), or no answer to read (`payment_unknown`, which ends this
 * run without a refund; the invoice is closed and unrefunded, so reconciliation asks again). Runs from
 * before orders decided late payments read an unreadable answer as not paid.
 */
async function confirmedAtPakasir(
  i: LatePaymentInput,
): Promise<'paid' | Extract<WorkflowStatus, 'failed' | 'payment_unknown'>> {
  if (!patched(LATE_REFUND_BY_ORDERS)) {
    return (await pakasir.confirmPayment({ invoiceId: i.invoiceId, amount: i.amount })) ? 'paid' : 'failed';
  }
  const { state } = await pakasir.paymentStatus({ invoiceId: i.invoiceId, amount: i.amount });
  return state === 'paid' ? 'paid' : state === 'unknown' ? 'payment_unknown' : 'failed';
}

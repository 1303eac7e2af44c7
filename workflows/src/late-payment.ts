import { pakasir } from './proxies';
import type { LatePaymentInput, PaymentResult } from './shared/workflow-api';
import { refundLatePayment, trackStatus } from './steps';

/**
 * A payment that reached Pakasir after its invoice had closed (the orders service starts this on the
 * webhook or the status button). Confirmed with Pakasir once more, then refunded to the balance minus
 * the fee. Workflow id `late-<invoiceId>`, so it runs once per invoice.
 */
export async function latePayment(input: LatePaymentInput): Promise<PaymentResult> {
  const setStatus = trackStatus('paying');
  if (!(await pakasir.confirmPayment({ invoiceId: input.invoiceId, amount: input.amount }))) {
    setStatus('failed');
    return { status: 'failed' };
  }
  await refundLatePayment(input);
  setStatus('refunded');
  return { status: 'refunded', refunded: input.amount };
}

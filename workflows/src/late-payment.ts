import { pakasir } from './proxies';
import type { LatePaymentInput, PaymentResult } from './shared/workflow-api';
import { refundLatePayment, trackStatus } from './steps';
import { trustedLatePayment } from './stored-payment';

/**
 * A payment that reached Pakasir after its invoice had closed (the orders service starts this on the
 * webhook or the status button). Confirmed with Pakasir once more, then refunded to the balance minus
 * the fee. Workflow id `late-<invoiceId>`, so it runs once per invoice. Who is refunded and how much
 * come from the stored order (trustedLatePayment), never from `startInput`.
 */
export async function latePayment(startInput: LatePaymentInput): Promise<PaymentResult> {
  const setStatus = trackStatus('paying');
  const input = await trustedLatePayment(startInput);
  if (!(await pakasir.confirmPayment({ invoiceId: input.invoiceId, amount: input.amount }))) {
    setStatus('failed');
    return { status: 'failed' };
  }
  await refundLatePayment(input);
  setStatus('refunded');
  return { status: 'refunded', refunded: input.amount };
}

import { applies } from './patches';
import { ApplicationFailure, CancellationScope, isCancellation, log } from '@temporalio/workflow';
import { FAILURE } from '@quickcart/workflow-api';
import { closeUnpaid, type CloseUnpaid, type Closing, type QrisPayment } from './qris-payment';

/** Runs started before issue 11 ended on such a failure holding everything; replays keep that. */
export const GIVE_BACK = 'give-back-before-payment';

/**
 * Issue 11: a payment workflow that fails before it is paid (a Pakasir 4xx, a contract change, a QR the
 * customer cannot receive, an operator cancelling the run) gives back what it held, as closing unpaid
 * does: the Pakasir invoice cancelled and checked once more (a payment that slipped in is refunded), the
 * stock released, the order closed as failed (orders gives the voucher back), the customer told. Then
 * the run still fails, so operators see it; a cancelled run ends cancelled. Returns what to throw.
 */
export async function failedBeforePayment(
  error: unknown,
  invoiceId: string,
  giveBack: (closing: Closing) => Promise<unknown>,
): Promise<unknown> {
  if (!applies(GIVE_BACK)) return error;
  const cancelled = isCancellation(error);
  let givenBack = true;
  try {
    if (cancelled)
      await CancellationScope.nonCancellable(() => giveBack({ kind: 'cancelled', reason: 'run cancelled' }));
    else await giveBack({ kind: 'failed' });
  } catch (failure) {
    givenBack = false;
    log.error('could not give back what the payment held', {
      invoiceId,
      message: failure instanceof Error ? failure.message : String(failure),
    });
  }
  if (cancelled) return error;
  return ApplicationFailure.create({
    type: FAILURE.failedBeforePayment,
    message: `payment ${invoiceId} failed before payment; ${
      givenBack ? 'what it held was given back' : 'giving back what it held failed too'
    }`,
    nonRetryable: true,
    cause: error instanceof Error ? error : undefined,
  });
}

/**
 * Runs the steps before a payment is confirmed (reserve, debit, invoice, QR, the window); any failure
 * in them closes the payment unpaid as `failed` (or `cancelled`) through `closeUnpaid` with the
 * workflow's own closing, without an admin notice, and is thrown on as failedBeforePayment's failure.
 */
export async function givingBackOnFailure<T>(
  payment: QrisPayment,
  closing: Omit<CloseUnpaid, 'outcome'>,
  steps: () => Promise<T>,
): Promise<T> {
  try {
    return await steps();
  } catch (error) {
    throw await failedBeforePayment(error, payment.invoiceId, (outcome) =>
      closeUnpaid(payment, {
        ...closing,
        outcome,
        qrMessageId: payment.qrMessageId,
        adminMessage: undefined,
      }),
    );
  }
}

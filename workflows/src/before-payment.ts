import { ApplicationFailure, CancellationScope, isCancellation, log, patched } from '@temporalio/workflow';
import { FAILURE } from './failure-types';
import type { Closing } from './qris-payment';

/** Runs started before issue 11 ended on such a failure holding everything; replays keep that. */
const GIVE_BACK = 'give-back-before-payment';

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
  if (!patched(GIVE_BACK)) return error;
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

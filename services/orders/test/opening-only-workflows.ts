/**
 * Orders' service tests run orders without the payment steps: an order is opened by its run (the real
 * opening steps of workflows/src/opening.ts, the real `openPayment` activity), then stays pending until
 * the test moves it. The payment steps after the opening are the workflows' own tests (workflows/test)
 * and the end-to-end tests'.
 */
import { condition } from '@temporalio/workflow';
import { isOpeningStart, type OpeningStart, type PaymentResult } from '@quickcart/workflow-api';
import { answerThePress, openThePress } from '../../../workflows/src/opening';
import { listenForPayment } from '../../../workflows/src/steps';

async function openOnly(start: OpeningStart | { invoiceId: string }): Promise<PaymentResult> {
  const answer = answerThePress();
  const signals = listenForPayment();
  // Started by the older code's relay (an order it left): nothing to open, it waits as such a run would.
  if (!isOpeningStart(start)) {
    await condition(() => signals.cancelled !== undefined);
    return { status: 'cancelled' };
  }
  const opening = await openThePress(start, signals).catch((error: unknown) => {
    answer({ kind: 'failed' });
    throw error;
  });
  if ('refused' in opening) {
    answer(opening.refused);
    return { status: 'failed' };
  }
  answer({ kind: 'opened' });
  await condition(() => signals.cancelled !== undefined);
  return { status: 'cancelled' };
}

export const purchase = openOnly;
export const deposit = openOnly;

/** Warranty claims are not served here: a claim's run waits, as it would for a worker that never comes. */
export async function warrantyClaim(): Promise<void> {
  await condition(() => false);
}

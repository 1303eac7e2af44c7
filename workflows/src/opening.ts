import {
  ApplicationFailure,
  condition,
  getExternalWorkflowHandle,
  setHandler,
  workflowInfo,
} from '@temporalio/workflow';
import {
  cancelPayment,
  CHECKOUT_SILENT_REASONS,
  FAILURE,
  OPENING_REFUSED,
  openedQuery,
  openPayment,
  workflowIds,
  type OpenAnswer,
  type OpeningStart,
} from '@quickcart/workflow-api';
import type { OpenedPayment } from './worker/activities/payments';
import type { PaymentSignals } from './payment-window';
import { opening } from './proxies';
import { refusalOf } from './steps';

/**
 * The run's side of Update-with-Start (Temporal's early-return pattern): checkout's `open` update waits
 * for the run's own answer, given once (the QR, a refusal, or a failure), and returns it; `opened` answers
 * it again later. The handler never does work itself, so the run's steps stay in one place.
 */
export function answerThePress(): (answer: OpenAnswer) => void {
  let answer: OpenAnswer | undefined;
  setHandler(openPayment, async () => {
    await condition(() => answer !== undefined);
    return answer!;
  });
  setHandler(openedQuery, () => answer ?? null);
  return (a) => void (answer ??= a);
}

/**
 * The run's first step: orders opens the sealed press (the order, its voucher, a balance debit, the
 * reservation) or refuses it, with nothing kept, for a reason the customer is told. A seal that is not
 * orders' means someone else started this run: it fails, as a start forged before this did. Older QRIS
 * invoices of the customer that this one replaces have their runs cancelled here.
 */
export async function openThePress(
  start: OpeningStart,
  signals: PaymentSignals,
): Promise<{ opened: OpenedPayment } | { refused: OpenAnswer }> {
  // A seal is readable in the run's history: replayed under any other id, it must open nothing.
  const { workflowId, workflowType } = workflowInfo();
  const expected = workflowIds[workflowType === 'deposit' ? 'deposit' : 'purchase'](start.invoiceId);
  if (workflowId !== expected)
    throw ApplicationFailure.nonRetryable(
      `payment ${start.invoiceId} refused: started as ${workflowId}, not ${expected}`,
      FAILURE.startRefused,
    );
  // Checkout gave up on the press before the run could open it (its cancel came with the start, or
  // started the run): nothing is opened.
  if (signals.cancelled !== undefined) return { refused: { kind: 'failed' } };
  let opened: OpenedPayment;
  try {
    opened = await opening.openPayment({ invoiceId: start.invoiceId, opening: start.opening });
  } catch (error) {
    const refusal = reasonedRefusal(error);
    if (!refusal || refusal.reason === OPENING_REFUSED) throw error;
    return { refused: { kind: 'refused', ...refusal } };
  }
  for (const old of opened.replaced) {
    await getExternalWorkflowHandle(workflowIds[old.kind](old.invoiceId))
      .signal(cancelPayment, { reason: CHECKOUT_SILENT_REASONS.replaced })
      .catch(() => undefined); // its run has ended already: nothing to cancel
  }
  return { opened };
}

/** An activity's business refusal, with the reason (orders' or the catalog's) it carries. */
function reasonedRefusal(error: unknown): { reason: string; details: Record<string, unknown> } | undefined {
  const details = (refusalOf(error)?.details?.[0] ?? {}) as Record<string, unknown>;
  return typeof details.reason === 'string' ? { reason: details.reason, details } : undefined;
}

/**
 * Opens the press's order and answers the press when it cannot go on: refused (the run then ends
 * `failed` with nothing held) or failed (thrown on). Undefined: the run ends now with `failed`.
 */
export async function openOrAnswer(
  start: OpeningStart,
  signals: PaymentSignals,
  answer: (a: OpenAnswer) => void,
  setStatus: (s: 'failed') => void,
): Promise<OpenedPayment | undefined> {
  let opening;
  try {
    opening = await openThePress(start, signals);
  } catch (error) {
    answer({ kind: 'failed' });
    throw error;
  }
  if ('opened' in opening) return opening.opened;
  answer(opening.refused);
  setStatus('failed');
  return undefined;
}

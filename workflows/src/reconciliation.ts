import { isCancellation, proxyActivities, continueAsNew, workflowInfo } from '@temporalio/workflow';
import type { PaymentActivities } from './worker/activities';
import { FAILURE, type ReconcileInput, type ReconcileResult } from '@quickcart/workflow-api';
import { services } from './proxies';
import { refundLatePayment, refusedAs } from './steps';

/** Invoices a page, and Pakasir calls in flight at once. */
const PAGE = 50;
const LANES = 5;
/** Past this, history starts afresh (continue-as-new), so a sweep of any size fits. */
const HISTORY_LIMIT = 5_000;
const WINDOW_HOURS = 48;

/**
 * Asking Pakasir about one invoice: a few tries, then the sweep goes on without it (the next sweep asks
 * again), so one invoice Pakasir keeps failing on never holds up the others.
 */
const pakasirOnce = proxyActivities<PaymentActivities>({
  startToCloseTimeout: '20s',
  retry: { initialInterval: '2s', backoffCoefficient: 2, maximumInterval: '20s', maximumAttempts: 3 },
});

/**
 * Once a payment's workflow has closed, only Pakasir's webhook would report a payment that came after
 * all, and a lost webhook would be lost money (docs/features.md §2.6). So every few minutes a Temporal
 * Schedule (overlap: skip) runs this: it asks Pakasir about each QRIS invoice that closed unpaid in the
 * last 48 hours and was not refunded, and refunds any found paid through the path every late payment
 * takes (refundLatePayment: orders decides under the order's lock, with the invoice's one ledger key).
 * So an invoice is refunded once, whether this, a webhook or the status button finds it first, and
 * however many sweeps look at it.
 */
export async function reconcilePayments(input: ReconcileInput = {}): Promise<ReconcileResult> {
  const { windowHours = WINDOW_HOURS, pageSize = PAGE, historyLimit = HISTORY_LIMIT } = input;
  const counts: ReconcileResult = { ...(input.resume?.counts ?? { checked: 0, refunded: 0, unknown: 0 }) };
  let after = input.resume?.after;
  for (;;) {
    const { items } = await services.latePaymentCandidates({
      sinceHours: windowHours,
      after,
      limit: pageSize,
    });
    const queue = [...items];
    const lane = async () => {
      for (let next = queue.shift(); next; next = queue.shift()) {
        counts.checked += 1;
        const outcome = await refundIfPaid(next);
        if (outcome !== 'unpaid') counts[outcome] += 1;
      }
    };
    await Promise.all(Array.from({ length: LANES }, lane));
    if (items.length < pageSize) return counts;
    after = items[items.length - 1].invoiceId;
    if (workflowInfo().continueAsNewSuggested || workflowInfo().historyLength > historyLimit) {
      await continueAsNew<typeof reconcilePayments>({ ...input, resume: { after, counts } });
    }
  }
}

/** Pakasir says paid with the order's amount: refunded, unless orders no longer finds it late. */
async function refundIfPaid(c: {
  invoiceId: string;
  userId: number;
  amount: number;
}): Promise<'refunded' | 'unpaid' | 'unknown'> {
  const answer = await pakasirOnce
    .paymentStatus({ invoiceId: c.invoiceId, amount: c.amount })
    .catch((error: unknown) => {
      if (isCancellation(error)) throw error;
      return { state: 'unknown' as const };
    });
  if (answer.state !== 'paid') return answer.state;
  try {
    await refundLatePayment(c);
    return 'refunded';
  } catch (error) {
    // Its order changed since it was listed: nothing to refund here, and the sweep goes on.
    if (refusedAs(error, FAILURE.refused)) return 'unpaid';
    throw error;
  }
}

import { condition, isCancellation, patched, setHandler } from '@temporalio/workflow';
import {
  decideWarranty,
  FAILURE,
  redeliver,
  type WarrantyClaimInput,
  type WarrantyDecision,
  type WarrantyOutcome,
} from '@quickcart/workflow-api';
import type { NotifyMessage } from '@quickcart/notify';
import type { WarrantyClaim } from '@quickcart/orders/contract';
import { notice } from './notices';
import { delivery, services } from './proxies';
import { refusedAs } from './steps';

/**
 * A replacement that finds no stock opens the decision again before the admins are told, not after: an
 * admin who pressed again the moment the notice showed was answered "already decided: replace" and the
 * claim then waited for a press nobody knew to make. Remove the old order once no claim started before
 * this patch is open.
 */
const NO_STOCK_REOPENS_FIRST = 'warranty-no-stock-reopens-first';

/** A message to the customer or the admins: best effort, like every notice. */
const tell = (chatId: number, key: string, message: NotifyMessage) =>
  notice(key, (t) => t.sendMessage({ chatId, key, message }));
const tellAdmins = (key: string, message: NotifyMessage) =>
  notice(key, (t) => t.notifyAdmins({ key, message }));

/**
 * One warranty claim (docs/features.md §2.9.1), id `warranty-<invoiceId>-<n>`: the admins are shown the
 * claim, the first admin decision (the `decideWarranty` update) is carried out once, and orders records
 * the outcome. A later press is answered with the decision taken. A replacement that finds no stock
 * tells the admins and waits for the next press; a replacement the customer cannot be sent waits for
 * `redeliver`, like a purchase's goods.
 */
export async function warrantyClaim(input: WarrantyClaimInput): Promise<WarrantyOutcome> {
  let waiting: WarrantyDecision | undefined;
  let taken: WarrantyDecision['decision'] | undefined;
  setHandler(decideWarranty, (d) => {
    if (taken) return { accepted: false, decision: taken };
    taken = d.decision;
    waiting = d;
    return { accepted: true, decision: d.decision };
  });
  const claim = await services.warrantyClaim({ claimId: input.claimId });
  if (claim.status !== 'open') return claim.status; // already resolved: nothing to do again
  const shown = `warranty-claim:${claim.id}`;
  await tellAdmins(shown, {
    template: 'admin.warranty_claim',
    data: {
      claimId: claim.id,
      invoiceId: claim.invoiceId,
      userId: claim.userId,
      productName: claim.productName,
      problem: claim.problem,
      ...(claim.photoFileId ? { photoFileId: claim.photoFileId } : {}),
    },
  });
  for (let attempt = 1; ; attempt++) {
    await condition(() => waiting !== undefined);
    const decision = waiting!;
    waiting = undefined;
    if (decision.decision === 'refund') return refund(claim, decision.actor);
    if (decision.decision === 'reject') return reject(claim, decision.actor, decision.reason);
    // No stock: the next press decides again.
    if (await replace(claim, decision.actor, attempt, () => (taken = undefined))) return 'replaced';
  }
}

/**
 * One item of the product, taken from stock under the claim id (the catalog's row-locked reserve, then
 * sold), recorded on the claim, then delivered by the goods' path. False when none could be taken.
 */
async function replace(
  claim: WarrantyClaim,
  actor: string,
  attempt: number,
  reopen: () => void,
): Promise<boolean> {
  try {
    await services.reserveStock({ invoiceId: claim.id, productId: claim.productId, quantity: 1 });
  } catch (error) {
    if (!refusedAs(error, FAILURE.outOfStock) && !refusedAs(error, FAILURE.refused)) throw error;
    const reopenedFirst = patched(NO_STOCK_REOPENS_FIRST);
    if (reopenedFirst) reopen();
    const key = `warranty-no-stock:${claim.id}:${attempt}`;
    await tellAdmins(key, {
      template: 'admin.warranty_no_stock',
      data: { claimId: claim.id, invoiceId: claim.invoiceId, productName: claim.productName },
    });
    if (!reopenedFirst) reopen();
    return false;
  }
  const { itemIds } = await services.commitStock({ invoiceId: claim.id });
  await services.resolveWarrantyClaim({ claimId: claim.id, body: { outcome: 'replaced', actor, itemIds } });
  await deliverReplacement(claim);
  return true;
}

/**
 * The item is sold to the claim: a delivery that keeps failing (the customer blocked the bot) tells the
 * admins and waits for `redeliver`, as a purchase's does; it is never dropped.
 */
async function deliverReplacement(claim: WarrantyClaim): Promise<void> {
  let retryRequested = false;
  setHandler(redeliver, () => void (retryRequested = true));
  for (let attempt = 1; ; attempt++) {
    try {
      await delivery().deliverReplacement({
        claimId: claim.id,
        invoiceId: claim.invoiceId,
        chatId: claim.userId,
        productName: claim.productName,
      });
      return;
    } catch (error) {
      if (isCancellation(error)) throw error;
      const key = `delivery-failed:${claim.id}:${attempt}`;
      await tellAdmins(key, {
        template: 'admin.delivery_failed',
        data: {
          invoiceId: claim.id,
          userId: claim.userId,
          reason: refusedAs(error, FAILURE.botBlocked) ? 'bot_blocked' : 'error',
        },
      });
      retryRequested = false;
      await condition(() => retryRequested);
    }
  }
}

/** The refund calculator's amount, credited by orders once under the claim's ledger key. */
async function refund(claim: WarrantyClaim, actor: string): Promise<WarrantyOutcome> {
  const done = await services.resolveWarrantyClaim({
    claimId: claim.id,
    body: { outcome: 'refunded', actor },
  });
  const key = `warranty-refunded:${claim.id}`;
  await tell(claim.userId, key, {
    template: 'warranty.refunded',
    data: { claimId: claim.id, invoiceId: claim.invoiceId, amount: done.refundAmount ?? 0 },
  });
  return 'refunded';
}

async function reject(claim: WarrantyClaim, actor: string, reason: string): Promise<WarrantyOutcome> {
  await services.resolveWarrantyClaim({ claimId: claim.id, body: { outcome: 'rejected', actor, reason } });
  const key = `warranty-rejected:${claim.id}`;
  await tell(claim.userId, key, {
    template: 'warranty.rejected',
    data: { claimId: claim.id, invoiceId: claim.invoiceId, reason },
  });
  return 'rejected';
}

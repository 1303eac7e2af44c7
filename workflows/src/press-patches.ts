import { patched } from '@temporalio/workflow';
import { GIVE_BACK } from './before-payment';
import { ADMIN_DIGEST } from './notices';
import { applyFoldedPatches } from './patches';
import { callServicesLocally } from './proxies';
import { INVOICE_FEE_STORED, MONEY_FIRST, PAYMENT_UNKNOWN, QR_BECOMES_NOTICE } from './qris-payment';
import { LATE_REFUND_BY_ORDERS } from './steps';

/**
 * Issue 18, "history events per purchase": a press's run started after this patch asks none of the
 * patches in PRESS_RUN_PATCHES: they are folded into it (`applies()` answers yes without asking), which
 * saves the 16 events those asks cost a purchase, and it calls Pakasir as local activities too (a marker
 * instead of three events and a workflow task per call). Asked first thing, before any local activity
 * (see below). The next change to a press's path is a new patch asked through `applies()` and NOT added
 * to PRESS_RUN_PATCHES (lean runs started before it must replay their old branch); once several have
 * piled up, a new lean patch, asked here before this one, can fold them in.
 */
const LEAN_PRESS_RUN = 'lean-press-run';

/**
 * Core could not replay a patch marker that follows a local activity's marker in the same workflow task
 * when that local activity had spanned several tasks (retried while orders was down): after a worker
 * restart the run failed every task with "[TMPRL1100] Nondeterminism error: Non-deprecated patch marker
 * encountered for change payment-unknown, but there is no corresponding change command" and its deposit
 * stayed pending (chaos, `patched(PAYMENT_UNKNOWN)` after `recordInvoiceFee`). A press run started after
 * PATCHES_UP_FRONT and before LEAN_PRESS_RUN asks every patch it may ask in its first task, before any
 * local activity; asked again later, a patch answers the same and records nothing. Runs started before
 * it (no marker) keep theirs where they were.
 */
const PATCHES_UP_FRONT = 'patches-up-front';

/** Every patch a press's purchase or deposit run asked before LEAN_PRESS_RUN; frozen with it. */
const PRESS_RUN_PATCHES = [
  GIVE_BACK,
  INVOICE_FEE_STORED,
  PAYMENT_UNKNOWN,
  MONEY_FIRST,
  QR_BECOMES_NOTICE,
  LATE_REFUND_BY_ORDERS,
  ADMIN_DIGEST,
];

/**
 * First thing in a press's run: which patches it takes, and how it calls our services and Pakasir. Our
 * services are local activities in every press run; Pakasir only in a lean one (runs started before
 * recorded its calls as activities, and replay must meet them as such).
 */
export function beginPressRun(): void {
  if (patched(LEAN_PRESS_RUN)) {
    applyFoldedPatches(PRESS_RUN_PATCHES);
    callServicesLocally({ pakasirToo: true });
    return;
  }
  callServicesLocally({ pakasirToo: false });
  if (!patched(PATCHES_UP_FRONT)) return;
  for (const id of PRESS_RUN_PATCHES) patched(id);
}

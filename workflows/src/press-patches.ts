import { patched } from '@temporalio/workflow';
import { GIVE_BACK } from './before-payment';
import { ADMIN_DIGEST } from './notices';
import { INVOICE_FEE_STORED, MONEY_FIRST, PAYMENT_UNKNOWN, QR_BECOMES_NOTICE } from './qris-payment';
import { LATE_REFUND_BY_ORDERS } from './steps';

/**
 * A run started by a press calls our services as local activities (proxies.ts). Core could not replay a
 * patch marker that follows a local activity's marker in the same workflow task when that local activity
 * had spanned several tasks (retried while orders was down): after a worker restart the run failed every
 * task with "[TMPRL1100] Nondeterminism error: Non-deprecated patch marker encountered for change
 * payment-unknown, but there is no corresponding change command" and its deposit stayed pending (chaos,
 * `patched(PAYMENT_UNKNOWN)` after `recordInvoiceFee`). A press run started after this patch asks every
 * patch such a run may ask in its first task, before any local activity; asked again later, a patch
 * answers the same and records nothing. Runs started before it (no marker) keep theirs where they were.
 */
const PATCHES_UP_FRONT = 'patches-up-front';

/** Every patch a press's purchase or deposit run may ask, in any of its paths. */
const PRESS_RUN_PATCHES = [
  GIVE_BACK,
  INVOICE_FEE_STORED,
  PAYMENT_UNKNOWN,
  MONEY_FIRST,
  QR_BECOMES_NOTICE,
  LATE_REFUND_BY_ORDERS,
  ADMIN_DIGEST,
];

/** First thing in a press's run: see above. */
export function askPatchesUpFront(): void {
  if (!patched(PATCHES_UP_FRONT)) return;
  for (const id of PRESS_RUN_PATCHES) patched(id);
}

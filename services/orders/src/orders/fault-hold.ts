import { FaultHold as Hold } from '@quickcart/kit';

/**
 * The checkout steps a test can hold open (QC_FAULT_HOLD), in the order a checkout passes them:
 * - `checkout.before-order-commit`: the order is written, its transaction not yet committed;
 * - `checkout.after-order-commit`: the order (and its workflow start) is committed, nothing reserved;
 * - `checkout.before-workflow-start`: the stock is reserved, the workflow not yet started.
 */
export const FAULT_STEPS = [
  'checkout.before-order-commit',
  'checkout.after-order-commit',
  'checkout.before-workflow-start',
] as const;
export type FaultStep = (typeof FAULT_STEPS)[number];

/** Orders' test-only fault switch (packages/kit's FaultHold over the checkout steps). */
export class FaultHold extends Hold<FaultStep> {}

import { FaultHold as Hold } from '@quickcart/kit';

/**
 * The checkout steps a test can hold open (QC_FAULT_HOLD), in the order a checkout passes them:
 * - `checkout.before-workflow-start`: the press is checked and sealed, its run not yet started;
 * - `checkout.before-order-commit`: inside the run's open, the order is written, its transaction not yet
 *   committed;
 * - `checkout.after-order-commit`: inside the run's open, the order is committed, nothing reserved.
 */
export const FAULT_STEPS = [
  'checkout.before-order-commit',
  'checkout.after-order-commit',
  'checkout.before-workflow-start',
] as const;
export type FaultStep = (typeof FAULT_STEPS)[number];

/** Orders' test-only fault switch (packages/kit's FaultHold over the checkout steps). */
export class FaultHold extends Hold<FaultStep> {}

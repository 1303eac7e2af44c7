import type { Logger } from '@quickcart/kit';

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

/**
 * Test only: the crash tests need a process to die at an exact step, so a held step never finishes
 * and the test kills the process inside it (issue 12, "an aimed crash at the exact step"). Without
 * QC_FAULT_HOLD no step is held and `at` returns at once.
 */
export class FaultHold {
  constructor(
    private readonly steps: ReadonlySet<FaultStep> = new Set(),
    private readonly logger?: Pick<Logger, 'warn'>,
  ) {}

  async at(step: FaultStep): Promise<void> {
    if (!this.steps.has(step)) return;
    this.logger?.warn('fault hold reached', { step });
    await new Promise<never>(() => {});
  }
}

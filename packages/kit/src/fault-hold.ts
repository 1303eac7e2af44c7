import { z } from 'zod';
import type { Logger } from './logger';

/**
 * Test only: the crash tests need a process to die at an exact step, so a held step never finishes
 * and the test kills the process (or ends a workflow) inside it. Without QC_FAULT_HOLD no step is
 * held and `at` returns at once. Each service names its own steps.
 */
export class FaultHold<Step extends string> {
  constructor(
    private readonly steps: ReadonlySet<Step> = new Set(),
    private readonly logger?: Pick<Logger, 'warn'>,
  ) {}

  async at(step: Step): Promise<void> {
    if (!this.steps.has(step)) return;
    this.logger?.warn('fault hold reached', { step });
    await new Promise<never>(() => {});
  }
}

/**
 * The QC_FAULT_HOLD setting: comma-separated steps of `known`. TEST ONLY, never set in production.
 * An unknown step is refused, so a typo cannot make a crash test pass vacuously.
 */
export const faultHoldSetting = <Step extends string>(known: readonly Step[]) =>
  z
    .string()
    .optional()
    .transform((value, ctx) => {
      const steps = (value ?? '')
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean);
      const unknown = steps.filter((s) => !(known as readonly string[]).includes(s));
      if (unknown.length > 0) {
        ctx.addIssue({
          code: 'custom',
          message: `unknown steps ${unknown.join(', ')}; known: ${known.join(', ')}`,
        });
        return z.NEVER;
      }
      return new Set(steps as Step[]);
    });

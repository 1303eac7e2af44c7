import { condition } from '@temporalio/workflow';

/** What the workflow's signal handlers have heard so far. */
export interface PaymentSignals<P> {
  paid?: P;
  cancelled?: string;
}

export type PaymentWindowOutcome<P> =
  { kind: 'paid'; payment: P } | { kind: 'cancelled'; reason: string } | { kind: 'expired' };

export interface PaymentWindowOptions<P> {
  timeoutMs: number;
  /** How often to ask the payment provider directly, in case its webhook was lost. */
  pollEveryMs: number;
  /** Asks the provider once; resolves with the payment when it is paid. */
  poll: () => Promise<P | undefined>;
}

/**
 * Waits for a payment signal or a cancel, at most `timeoutMs` (DESIGN.md, purchase workflow step 3).
 * The wait is a durable server timer: it survives worker restarts and is skipped in time-skipping tests.
 * Runs inside workflow code only: `Date.now()` is the deterministic workflow clock there.
 */
export async function waitForPayment<P>(
  signals: PaymentSignals<P>,
  { timeoutMs, pollEveryMs, poll }: PaymentWindowOptions<P>,
): Promise<PaymentWindowOutcome<P>> {
  const deadline = Date.now() + timeoutMs;
  const heard = () => signals.paid !== undefined || signals.cancelled !== undefined;
  while (!heard() && Date.now() < deadline) {
    await condition(heard, Math.min(pollEveryMs, deadline - Date.now()));
    if (!heard()) {
      const found = await poll();
      if (found !== undefined) signals.paid ??= found;
    }
  }
  if (signals.paid !== undefined) return { kind: 'paid', payment: signals.paid };
  if (signals.cancelled !== undefined) return { kind: 'cancelled', reason: signals.cancelled };
  return { kind: 'expired' };
}

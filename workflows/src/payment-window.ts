import { condition } from '@temporalio/workflow';

/** What the workflow's signal handlers have heard so far. */
export interface PaymentSignals {
  /** A payment was reported (webhook, status button, operator): confirm it now instead of at the next poll. */
  nudged: boolean;
  cancelled?: string;
}

export type PaymentWindowOutcome<P> =
  { kind: 'paid'; payment: P } | { kind: 'cancelled'; reason: string } | { kind: 'expired' };

export interface PaymentWindowOptions<P> {
  timeoutMs: number;
  /** How often to ask the payment provider directly, in case its webhook was lost. */
  pollEveryMs: number;
  /** Asks the provider once; resolves with the payment only when it is paid with the right amount. */
  confirm: () => Promise<P | undefined>;
}

/**
 * Waits for a confirmed payment or a cancel, at most `timeoutMs` (DESIGN.md, purchase step 3). A signal
 * is never trusted by itself: it only makes the workflow ask the provider at once, so a forged or
 * wrong-amount report changes nothing. A cancel gets one last check, so a customer who paid and then
 * pressed cancel still gets the goods. The wait is a durable server timer (skipped in time-skipping
 * tests); `Date.now()` is the deterministic workflow clock here.
 */
export async function waitForPayment<P>(
  signals: PaymentSignals,
  { timeoutMs, pollEveryMs, confirm }: PaymentWindowOptions<P>,
): Promise<PaymentWindowOutcome<P>> {
  const deadline = Date.now() + timeoutMs;
  const woken = () => signals.nudged || signals.cancelled !== undefined;
  while (Date.now() < deadline && signals.cancelled === undefined) {
    await condition(woken, Math.min(pollEveryMs, deadline - Date.now()));
    if (signals.cancelled !== undefined) break;
    signals.nudged = false;
    const payment = await confirm();
    if (payment !== undefined) return { kind: 'paid', payment };
  }
  if (signals.cancelled !== undefined) {
    const payment = await confirm();
    if (payment !== undefined) return { kind: 'paid', payment };
    return { kind: 'cancelled', reason: signals.cancelled };
  }
  return { kind: 'expired' };
}

import { condition } from '@temporalio/workflow';

/** What the workflow's signal handlers have heard so far. */
export interface PaymentSignals {
  /** A payment was reported (webhook, status button, operator): confirm it now instead of at the next poll. */
  nudged: boolean;
  cancelled?: string;
}

/** One answer of the payment provider: unknown (no answer it could give) is never read as unpaid. */
export type PaymentCheck<P> =
  { state: 'paid'; payment: P } | { state: 'unpaid' } | { state: 'unknown'; reason: string };

export type PaymentWindowOutcome<P> =
  | { kind: 'paid'; payment: P }
  | { kind: 'cancelled'; reason: string }
  | { kind: 'expired' }
  /** The window ended (or a cancel came) while the provider's last answer was unknown. */
  | { kind: 'unknown'; reason: string };

export interface PaymentWindowOptions<P> {
  timeoutMs: number;
  /** How often to ask the payment provider directly, in case its webhook was lost. */
  pollEveryMs: number;
  /** Asks the provider once: paid only when it is paid with the right amount. */
  confirm: () => Promise<PaymentCheck<P>>;
}

/**
 * Waits for a confirmed payment or a cancel, at most `timeoutMs` (docs/architecture.md §3, step 3). A signal
 * is never trusted by itself: it only makes the workflow ask the provider at once, so a forged or
 * wrong-amount report changes nothing. A cancel gets one last check, so a customer who paid and then
 * pressed cancel still gets the goods. When the provider's last answer was unknown, neither expiry nor
 * cancel is decided: the outcome is `unknown`. The wait is a durable server timer (skipped in
 * time-skipping tests); `Date.now()` is the deterministic workflow clock here.
 */
export async function waitForPayment<P>(
  signals: PaymentSignals,
  { timeoutMs, pollEveryMs, confirm }: PaymentWindowOptions<P>,
): Promise<PaymentWindowOutcome<P>> {
  const deadline = Date.now() + timeoutMs;
  const woken = () => signals.nudged || signals.cancelled !== undefined;
  let unknown: string | undefined;
  const ask = async () => {
    const answer = await confirm();
    unknown = answer.state === 'unknown' ? answer.reason : undefined;
    return answer;
  };
  while (Date.now() < deadline && signals.cancelled === undefined) {
    await condition(woken, Math.min(pollEveryMs, deadline - Date.now()));
    if (signals.cancelled !== undefined) break;
    signals.nudged = false;
    const answer = await ask();
    if (answer.state === 'paid') return { kind: 'paid', payment: answer.payment };
  }
  if (signals.cancelled !== undefined) {
    const answer = await ask();
    if (answer.state === 'paid') return { kind: 'paid', payment: answer.payment };
  }
  if (unknown !== undefined) return { kind: 'unknown', reason: unknown };
  if (signals.cancelled !== undefined) return { kind: 'cancelled', reason: signals.cancelled };
  return { kind: 'expired' };
}

export interface UntilKnownOptions<P> {
  /** How often to ask while parked, and for how long; after that only a signal makes it ask. */
  pollEveryMs: number;
  pollForMs: number;
  confirm: () => Promise<PaymentCheck<P>>;
}

/**
 * A payment parked as unknown: asks the provider at a slow pace (a 4xx often clears when an operator
 * fixes a key), then only when a `paymentReceived` nudges it. Ends on a definite answer (paid, or
 * unpaid: expired) or on a cancel, which is an operator deciding it is unpaid. Only a cancel that comes
 * after parking counts: the caller clears an earlier one.
 */
export async function waitUntilKnown<P>(
  signals: PaymentSignals,
  { pollEveryMs, pollForMs, confirm }: UntilKnownOptions<P>,
): Promise<Exclude<PaymentWindowOutcome<P>, { kind: 'unknown' }>> {
  const stopPolling = Date.now() + pollForMs;
  const woken = () => signals.nudged || signals.cancelled !== undefined;
  for (;;) {
    if (Date.now() < stopPolling) await condition(woken, Math.min(pollEveryMs, stopPolling - Date.now()));
    else await condition(woken);
    if (signals.cancelled !== undefined) return { kind: 'cancelled', reason: signals.cancelled };
    signals.nudged = false;
    const answer = await confirm();
    if (answer.state === 'paid') return { kind: 'paid', payment: answer.payment };
    if (answer.state === 'unpaid') return { kind: 'expired' };
  }
}

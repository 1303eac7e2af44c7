import type { Logger } from './logger';

/** How often a process hands its tally over (docs/operations.md §16). */
export const CALL_TALLY_EVERY_MS = 10_000;

/**
 * A process's count of its calls to Pakasir or Telegram by result (`ok`, `429`, `network`…), handed to
 * orders every CALL_TALLY_EVERY_MS for the owner's "keeps refusing" alerts (docs/operations.md §16).
 * A hand-over that failed (orders away) is kept and goes with the next, so no call is lost; it is then
 * counted when orders took it.
 */
export class CallTally {
  private counts = new Map<string, number>();
  private timer?: NodeJS.Timeout;
  private sending?: Promise<void>;

  /** One call ended with `result`. */
  count(result: string): void {
    this.counts.set(result, (this.counts.get(result) ?? 0) + 1);
  }

  /** Hands the counts to `send` every `everyMs` (nothing when there were no calls) until stop(). */
  start(
    send: (results: Record<string, number>) => Promise<void>,
    logger: Logger,
    everyMs = CALL_TALLY_EVERY_MS,
  ) {
    const flush = () => {
      if (this.sending || this.counts.size === 0) return;
      const taken = this.counts;
      this.counts = new Map();
      this.sending = send(Object.fromEntries(taken))
        .catch((error: Error) => {
          for (const [result, n] of taken) this.counts.set(result, (this.counts.get(result) ?? 0) + n);
          logger.debug('call tally not handed over; kept for the next', { message: error.message });
        })
        .finally(() => (this.sending = undefined));
    };
    this.timer = setInterval(flush, everyMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.sending;
  }
}

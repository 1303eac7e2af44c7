import type { Logger } from '@quickcart/kit';
import { TelegramError, type Telegram } from 'telegraf';
import type { Update } from 'telegraf/types';

export type PollingState = 'polling' | 'restarting' | 'stopped' | 'conflict';

/** How long one getUpdates waits for an update (Telegram's long poll). */
const LONG_POLL_SECONDS = 25;

/**
 * Long polling that writes each batch to the inbox before it asks for the next (development; webhook
 * mode is production's). Telegram is told a batch arrived only by the next getUpdates's offset, so the
 * offset moves past an update only once the inbox holds it: a gateway that dies, or a store that fails,
 * gets the same updates again (the inbox keeps one copy of each update_id).
 *
 * A failed poll is tried again with a growing pause (1 s, 2 s, 4 s… up to `maxBackoffMs`). A 409 means
 * another instance polls this bot (a second gateway in polling mode, a deploy that overlaps): after
 * `maxConflicts` of them in a row this one stops for good and says so (an alert log line, /health 503)
 * instead of fighting the other for ever; run one poller, or webhook mode.
 */
export class PollingSupervisor {
  private current: PollingState = 'stopped';
  private since = new Date();
  private lastError?: string;
  private stopping = false;
  private readonly abort = new AbortController();
  private wake?: () => void;
  private done?: Promise<void>;
  private offset = 0;

  constructor(
    private readonly telegram: Telegram,
    private readonly store: (updates: Update[]) => Promise<void>,
    private readonly logger: Logger,
    private readonly options: {
      allowedUpdates: string[];
      minBackoffMs?: number;
      maxBackoffMs?: number;
      /** 409s in a row after which polling stops for good. */
      maxConflicts: number;
    },
  ) {}

  start(): void {
    this.done ??= this.run();
  }

  /** Ends polling for good (shutdown); resolves once the loop has ended. */
  async stop(): Promise<void> {
    this.stopping = true;
    this.abort.abort();
    this.wake?.();
    await this.done;
  }

  status(): { state: PollingState; since: string; lastError?: string } {
    return { state: this.current, since: this.since.toISOString(), lastError: this.lastError };
  }

  private set(state: PollingState): void {
    if (state === this.current) return;
    this.current = state;
    this.since = new Date();
  }

  private async poll(): Promise<Update[]> {
    return (await this.telegram.callApi(
      'getUpdates',
      {
        timeout: LONG_POLL_SECONDS,
        offset: this.offset,
        allowed_updates: this.options.allowedUpdates,
      } as never,
      { signal: this.abort.signal as never },
    )) as Update[];
  }

  private async run(): Promise<void> {
    const min = this.options.minBackoffMs ?? 1_000;
    const max = this.options.maxBackoffMs ?? 30_000;
    let failures = 0;
    let conflicts = 0;
    while (!this.stopping) {
      try {
        this.set('polling');
        const updates = await this.poll();
        if (updates.length > 0) {
          await this.store(updates);
          this.offset = updates[updates.length - 1]!.update_id + 1;
        }
        failures = 0;
        conflicts = 0;
        continue;
      } catch (caught) {
        if (this.stopping) break;
        const error = caught as Error;
        const code = error instanceof TelegramError ? error.code : undefined;
        this.lastError = error.message;
        conflicts = code === 409 ? conflicts + 1 : 0;
        if (conflicts >= this.options.maxConflicts) {
          this.set('conflict');
          // Not `message`: winston would append it to the line's own, which alerting matches exactly.
          this.logger.error('telegram polling given up: another instance polls this bot', {
            alert: true,
            conflicts,
            lastError: error.message,
          });
          return;
        }
        const pauseMs = Math.min(max, min * 2 ** failures++);
        this.set('restarting');
        this.logger.error('telegram polling stopped; restarting', {
          code,
          lastError: error.message,
          retryInMs: pauseMs,
        });
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, pauseMs);
          this.wake = () => {
            clearTimeout(timer);
            resolve();
          };
        });
      }
    }
    // Confirms what the inbox holds, so the next poller starts after it (the inbox would drop copies).
    if (this.current === 'polling' && this.offset > 0)
      await this.telegram
        .callApi('getUpdates', { offset: this.offset, limit: 1, timeout: 0 } as never)
        .catch(() => undefined);
    this.set('stopped');
  }
}

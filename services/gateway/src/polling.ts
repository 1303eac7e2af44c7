import type { Logger } from '@quickcart/kit';
import { TelegramError, type Telegraf } from 'telegraf';

type LaunchOptions = NonNullable<Exclude<Parameters<Telegraf['launch']>[0], (...args: never[]) => void>>;
/** What this needs of a Telegraf bot. */
type PollingBot = { launch(options: LaunchOptions): Promise<void>; stop(reason?: string): void };

export type PollingState = 'polling' | 'restarting' | 'stopped';

/**
 * Long polling that outlives a refusal. telegraf ends its polling for good on a 409 (a second instance
 * polling, an overlapping deploy) or a 401, and any other error; the process would then stay up and
 * answer nobody. This starts it again with a growing pause (1 s, 2 s, 4 s… up to `maxBackoffMs`), logs
 * each stop, and tells /health whether updates are being read.
 */
export class PollingSupervisor {
  private current: PollingState = 'stopped';
  private since = new Date();
  private lastError?: string;
  private stopping = false;
  private wake?: () => void;
  private done?: Promise<void>;

  constructor(
    private readonly bot: PollingBot,
    private readonly logger: Logger,
    private readonly options: {
      allowedUpdates: LaunchOptions['allowedUpdates'];
      minBackoffMs?: number;
      maxBackoffMs?: number;
    },
  ) {}

  start(): void {
    this.done ??= this.run();
  }

  /** Ends polling for good (shutdown); resolves once telegraf's loop has ended. */
  async stop(): Promise<void> {
    this.stopping = true;
    this.wake?.();
    try {
      this.bot.stop('shutdown');
    } catch {
      // never started
    }
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

  private async run(): Promise<void> {
    const min = this.options.minBackoffMs ?? 1_000;
    const max = this.options.maxBackoffMs ?? 30_000;
    let failures = 0;
    while (!this.stopping) {
      this.set('polling');
      const started = Date.now();
      let error: Error;
      try {
        await this.bot.launch({ allowedUpdates: this.options.allowedUpdates });
        if (this.stopping) break;
        error = new Error('polling ended by itself');
      } catch (caught) {
        error = caught as Error;
      }
      if (this.stopping) break;
      // A poll that ran a good while before failing starts the pauses over.
      if (Date.now() - started > max) failures = 0;
      const pauseMs = Math.min(max, min * 2 ** failures++);
      this.lastError = error.message;
      this.set('restarting');
      this.logger.error('telegram polling stopped; restarting', {
        code: error instanceof TelegramError ? error.code : undefined,
        message: error.message,
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
    this.set('stopped');
  }
}

import type { Logger } from '@quickcart/kit';
import { setTimeout as sleep } from 'node:timers/promises';
import { unixNow } from './chat-store';
import type { Update } from './update-feed';

export interface WebhookSettings {
  url: string;
  secretToken?: string;
  maxConnections: number;
}

/** How long Telegram goes on trying a failing delivery (limits.ts holds the sandbox's values). */
export interface WebhookRetry {
  /** The pauses double from 50 ms up to this. */
  maxPauseMs: number;
  /** After this long the update is given up (Telegram keeps an update a day). */
  giveUpMs: number;
}

/**
 * POSTs updates to the bot's webhook: one at a time per chat (so a user's messages arrive in order),
 * chats in parallel. A delivery that fails is tried again and again, as Telegram does, with the chat's
 * later updates held behind it: a bot that answers 500 for a while gets everything, in order, once it
 * answers again. A JSON answer naming a `method` is executed, as Telegram does with telegraf's
 * webhookReply (docs/operations.md §11.2).
 */
export class WebhookDelivery {
  settings?: WebhookSettings;
  lastError?: { date: number; message: string };
  private readonly chains = new Map<string, Promise<void>>();
  private pending = 0;
  /** Bumped when pending updates are dropped, so deliveries already under way give up. */
  private generation = 0;
  private readonly stop = new AbortController();

  constructor(
    private readonly logger: Logger,
    private readonly dispatchReply: (method: string, params: Record<string, unknown>) => Promise<unknown>,
    private readonly requeue: (update: Update) => void,
    private readonly retry: () => WebhookRetry,
  ) {}

  configure(settings: WebhookSettings | undefined, dropPending: boolean): void {
    if (dropPending) this.dropPending();
    if (settings?.url !== this.settings?.url) this.lastError = undefined;
    this.settings = settings;
    this.logger.info(settings ? 'webhook set' : 'webhook deleted', {
      secretToken: settings?.secretToken !== undefined,
    });
  }

  deliver(update: Update): void {
    const key = chatKey(update);
    const generation = this.generation;
    this.pending++;
    const next = (this.chains.get(key) ?? Promise.resolve())
      .then(() => this.send(update, generation))
      .finally(() => {
        this.pending--;
        if (this.chains.get(key) === next) this.chains.delete(key);
      });
    this.chains.set(key, next);
  }

  pendingCount(): number {
    return this.pending;
  }

  dropPending(): void {
    this.generation++;
  }

  /** Resolves once every delivery started so far has finished. */
  async settled(): Promise<void> {
    while (this.chains.size > 0) await Promise.all(this.chains.values());
  }

  async close(): Promise<void> {
    this.stop.abort();
    await this.settled();
  }

  private async send(update: Update, generation: number): Promise<void> {
    const started = Date.now();
    for (let attempt = 1; generation === this.generation && !this.stop.signal.aborted; attempt++) {
      const settings = this.settings;
      if (!settings) return this.requeue(update);
      const error = await this.post(settings, update);
      if (error === undefined) return;
      this.lastError = { date: unixNow(), message: error };
      this.logger.warn('webhook delivery failed', { updateId: update.update_id, attempt, error });
      const { maxPauseMs, giveUpMs } = this.retry();
      if (Date.now() - started >= giveUpMs) {
        this.logger.warn('webhook delivery given up', { updateId: update.update_id, attempt });
        return;
      }
      try {
        await sleep(Math.min(maxPauseMs, 50 * 2 ** Math.min(attempt - 1, 20)), undefined, {
          signal: this.stop.signal,
        });
      } catch {
        return;
      }
    }
  }

  /** Undefined when delivered, else Telegram-style last_error_message. */
  private async post(settings: WebhookSettings, update: Update): Promise<string | undefined> {
    let res: Response;
    try {
      res = await fetch(settings.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          ...(settings.secretToken !== undefined && {
            'X-Telegram-Bot-Api-Secret-Token': settings.secretToken,
          }),
        },
        body: JSON.stringify(update),
        signal: AbortSignal.any([this.stop.signal, AbortSignal.timeout(60_000)]),
      });
    } catch (error) {
      return `Connection failed: ${(error as Error).message}`;
    }
    const body = await res.text().catch(() => '');
    if (!res.ok) return `Wrong response from the webhook: ${res.status} ${res.statusText}`;
    await this.runReply(body, res.headers.get('content-type') ?? '');
    return undefined;
  }

  private async runReply(body: string, contentType: string): Promise<void> {
    if (!contentType.includes('json') || body === '') return;
    try {
      const { method, ...params } = JSON.parse(body) as { method?: unknown } & Record<string, unknown>;
      if (typeof method === 'string') await this.dispatchReply(method, params);
    } catch (error) {
      // Telegram cannot tell the bot a webhook reply failed either; the log is all there is.
      this.logger.warn('webhook reply failed', { message: (error as Error).message });
    }
  }
}

/** Updates of one chat (or one user's callback queries) keep their order. */
function chatKey(update: Update): string {
  const body = Object.values(update).find((v) => typeof v === 'object' && v !== null) as
    { chat?: { id?: number }; from?: { id?: number }; message?: { chat?: { id?: number } } } | undefined;
  return String(body?.chat?.id ?? body?.message?.chat?.id ?? body?.from?.id ?? 0);
}

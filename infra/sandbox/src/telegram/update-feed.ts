import type { Logger } from '@quickcart/kit';
import { refusals } from './api-error';
import { WebhookDelivery, type WebhookRetry, type WebhookSettings } from './webhook-delivery';

export type Update = { update_id: number } & Record<string, unknown>;

/** Update types Telegram leaves out unless a bot asks for them by name (Bot API, getUpdates). */
const OPT_IN_TYPES = new Set(['chat_member', 'message_reaction', 'message_reaction_count']);

/**
 * Where updates go: queued until confirmed for getUpdates, or POSTed to the webhook when one is set,
 * never both (Telegram's rule). Update ids only grow, even across `reset`, since a polling bot skips
 * every id below the offset it last confirmed.
 */
export class UpdateFeed {
  // Each sandbox starts its update ids somewhere else, as update ids of different bots differ: ids
  // derived from them (request keys, broadcast ids, hence workflow ids) must not collide between test
  // systems sharing one Temporal server (two suites' "/broadcast" once got one workflow id).
  private nextId = 100_000_001 + Math.floor(Math.random() * 1_000_000) * 1_000;
  private queue: Update[] = [];
  /** The one long poll being held open; waking it with an error refuses that request. */
  private waiter?: { wake: (error?: Error) => void };
  private allowed: string[] = [];
  private closed = false;
  readonly webhook: WebhookDelivery;

  constructor(
    logger: Logger,
    dispatchReply: (method: string, params: Record<string, unknown>) => Promise<unknown>,
    webhookRetry: () => WebhookRetry,
  ) {
    // A webhook update that cannot be delivered goes back to the queue, so deleteWebhook loses nothing.
    this.webhook = new WebhookDelivery(logger, dispatchReply, (update) => this.enqueue(update), webhookRetry);
  }

  /** `body` is the update without its id, e.g. `{ message }` or `{ callback_query }`. */
  push(body: Record<string, unknown>): Update {
    const update = { update_id: this.nextId++, ...body } as Update;
    const type = Object.keys(body)[0] ?? '';
    const wanted = this.allowed.length > 0 ? this.allowed.includes(type) : !OPT_IN_TYPES.has(type);
    if (!wanted || this.closed) return update;
    if (this.webhook.settings) this.webhook.deliver(update);
    else this.enqueue(update);
    return update;
  }

  /** The id the next update gets. */
  get nextUpdateId(): number {
    return this.nextId;
  }

  /**
   * Telegram's rule (Bot API, getUpdates): after at least a week without updates, the next update's id
   * is chosen at random instead of following the last one, so an id seen before can come again, on a
   * new update with a later date. `nextId` stands for that random choice. Only for a webhook: a polling
   * bot's offset would drop ids below it, and what Telegram does then is not known.
   */
  restartUpdateIds(nextId: number): void {
    if (!this.webhook.settings) throw new Error('restartUpdateIds: only with a webhook set');
    this.nextId = nextId;
  }

  setAllowedUpdates(types: string[] | undefined): void {
    if (types !== undefined) this.allowed = [...types];
  }

  /** Long polling with Telegram's confirm-by-offset semantics; resolves after `timeoutSec` at most. */
  async getUpdates(
    options: { offset?: number; limit?: number; timeoutSec?: number },
    signal: AbortSignal,
  ): Promise<Update[]> {
    if (this.webhook.settings) throw refusals.webhookActive();
    const offset = options.offset ?? 0;
    const limit = Math.min(Math.max(options.limit ?? 100, 1), 100);
    this.confirm(offset);
    // Only one poller at a time: the newer request wins, as with the real API.
    this.waiter?.wake(refusals.otherPoller());
    const ready = this.take(offset, limit);
    const timeoutSec = options.timeoutSec ?? 0;
    if (ready.length > 0 || timeoutSec <= 0 || this.closed) return ready;
    await new Promise<void>((resolve, reject) => {
      const waiter = {
        wake: (error?: Error) => {
          clearTimeout(timer);
          signal.removeEventListener('abort', onAbort);
          if (this.waiter === waiter) this.waiter = undefined;
          if (error) reject(error);
          else resolve();
        },
      };
      const onAbort = () => waiter.wake();
      const timer = setTimeout(() => waiter.wake(), timeoutSec * 1000);
      signal.addEventListener('abort', onAbort);
      this.waiter = waiter;
    });
    return this.take(offset, limit);
  }

  async setWebhook(settings: WebhookSettings | undefined, dropPending: boolean): Promise<void> {
    if (dropPending) this.queue = [];
    this.webhook.configure(settings, dropPending);
    if (settings) {
      this.waiter?.wake(refusals.webhookActive());
      for (const update of this.queue.splice(0)) this.webhook.deliver(update);
    }
  }

  pendingCount(): number {
    return this.webhook.settings ? this.webhook.pendingCount() : this.queue.length;
  }

  /** Drops undelivered updates (test reset); ids keep growing. */
  clearPending(): void {
    this.queue = [];
    this.webhook.dropPending();
  }

  async close(): Promise<void> {
    this.closed = true;
    this.waiter?.wake();
    await this.webhook.close();
  }

  private enqueue(update: Update): void {
    if (this.closed) return;
    this.queue.push(update);
    this.waiter?.wake();
  }

  /** A positive offset confirms every update below it; a negative one keeps only the last -offset. */
  private confirm(offset: number): void {
    if (offset > 0) this.queue = this.queue.filter((u) => u.update_id >= offset);
    else if (offset < 0) this.queue = this.queue.slice(offset);
  }

  private take(offset: number, limit: number): Update[] {
    return this.queue.filter((u) => offset <= 0 || u.update_id >= offset).slice(0, limit);
  }
}

import type { Logger } from '@quickcart/kit';
import type { Update } from 'telegraf/types';
import {
  ChatChains,
  chatOf,
  describeUpdate,
  runWithAttempts,
  updateIdentity,
  type AttemptPolicy,
  type Inbox,
  type InboxStats,
  type UpdateHandler,
} from './inbox';

/**
 * Without REDIS_URL (development against the sandbox, one process): the inbox in this process's
 * memory. The order per chat, the retries and the bounded shutdown are the same; what it cannot do is
 * outlive the process, so an update in it when the process dies is lost (app.ts says so at start).
 */
export class MemoryInbox implements Inbox {
  readonly kind = 'memory';
  private readonly chains = new ChatChains();
  private readonly seen = new Set<string>();
  private handler?: UpdateHandler;
  private stopping = false;
  private deadLetters = 0;
  /** Chats with an update waiting for its not-before time (their chain waits with it). */
  private readonly held = new Map<number, number>();

  constructor(
    private readonly policy: AttemptPolicy,
    private readonly logger: Logger,
  ) {}

  async add(updates: readonly Update[]): Promise<void> {
    if (this.stopping) throw new Error('the inbox is shutting down');
    for (const update of updates) {
      const identity = updateIdentity(update);
      if (this.seen.has(identity)) continue;
      this.seen.add(identity);
      if (this.seen.size > 10_000) this.seen.delete(this.seen.values().next().value!);
      this.chains.run(chatOf(update), () => this.handle(update));
    }
  }

  start(handler: UpdateHandler): void {
    this.handler = handler;
  }

  async stop(graceMs: number): Promise<void> {
    this.stopping = true;
    if (!(await this.chains.allEnded(graceMs)))
      this.logger.warn('updates still running at shutdown are lost (inbox in memory)', {
        running: this.chains.size,
      });
  }

  async stats(): Promise<InboxStats> {
    return { depth: this.chains.size, deadLetters: this.deadLetters };
  }

  async isHeld(chat: number): Promise<boolean> {
    return this.held.has(chat);
  }

  private async handle(update: Update): Promise<void> {
    let attempts = 0;
    const chat = chatOf(update);
    for (;;) {
      const result = await runWithAttempts(update, this.handler!, {
        policy: this.policy,
        countAttempt: async () => ++attempts,
        uncountAttempt: async () => void attempts--,
        stopping: () => this.stopping,
        logger: this.logger,
      });
      if (result.outcome === 'deferred') {
        if (this.stopping) return; // lost with the process, as everything this inbox holds
        // It waits in its chat's chain: that chat's later updates wait behind it, nobody else's.
        this.held.set(chat, result.notBefore);
        await new Promise((resolve) => setTimeout(resolve, Math.max(0, result.notBefore - Date.now())));
        this.held.delete(chat);
        continue;
      }
      if (result.outcome === 'dead') {
        this.deadLetters++;
        this.logger.error('update dead-lettered', {
          ...describeUpdate(update),
          attempts: result.attempts,
          error: result.error,
        });
      }
      return;
    }
  }
}

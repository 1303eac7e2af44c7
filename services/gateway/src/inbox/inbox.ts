import type { Logger } from '@quickcart/kit';
import type { Update } from 'telegraf/types';

/** What the inbox knows about the try it hands a handler. */
export interface Attempt {
  /** 1 for the first try; a restart or a handover to another gateway counts too. */
  number: number;
  /** The last try: a handler that fails now has its update put in the dead-letter list. */
  final: boolean;
}

/**
 * Thrown by a handler whose update must wait longer than an update may hold its chat (Telegram answered
 * a reply with a retry_after of tens of seconds): the inbox runs the update again from the start at
 * `notBefore`, holds that chat's later updates behind it, counts no failed try, and meanwhile handles
 * everyone else's. What the update asked of our services lands once by its request key; a message it
 * had sent before the refused one is guarded by the handler (docs/architecture.md §8.1).
 */
export class DeferUpdate extends Error {
  override readonly name = 'DeferUpdate';
  constructor(
    readonly notBefore: number,
    why: string,
  ) {
    super(`deferred until ${new Date(notBefore).toISOString()}: ${why}`);
  }
}

/**
 * Runs one update. Returning means it is done (acknowledged, never handed over again); throwing means
 * it failed in a way worth trying again: the inbox tries again after a pause, and after the last
 * attempt puts it in the dead-letter list.
 */
export type UpdateHandler = (update: Update, attempt: Attempt) => Promise<void>;

/**
 * Telegram's updates between their arrival and the end of their handler (docs/architecture.md §8.1).
 * `add` returns once they are stored: only then may Telegram be told they arrived (the polling offset,
 * the webhook's 200). Updates of one chat are handled one at a time in arrival order.
 */
export interface Inbox {
  /** Stores updates in order; one already stored (the same update_id) is not stored again. */
  add(updates: readonly Update[]): Promise<void>;
  start(handler: UpdateHandler): void;
  /**
   * Takes no new updates, waits up to `graceMs` for those being handled, then hands back what is still
   * unfinished (another gateway, or this one after its restart, runs it again).
   */
  stop(graceMs: number): Promise<void>;
  /** Whether this chat has an update deferred (DeferUpdate): its later updates wait behind it. */
  isHeld(chat: number): Promise<boolean>;
  readonly kind: 'redis' | 'memory';
  /** What it holds now, for the metrics (docs/operations.md §17). */
  stats(): Promise<InboxStats>;
}

export interface InboxStats {
  /** Updates stored and not yet finished: waiting, being handled, or waiting for another try. */
  depth: number;
  /** Updates given up after their last try and kept for an operator. */
  deadLetters: number;
}

export interface AttemptPolicy {
  maxAttempts: number;
  /** The pause before the try after `attempt` (1-based). */
  pauseMs: (attempt: number) => number;
}

/** 250 ms, 500 ms, 1 s, 2 s… at most 5 s: an outage of a few seconds is ridden out, a longer one is not. */
export const pauseBeforeRetry = (attempt: number): number => Math.min(5_000, 250 * 2 ** (attempt - 1));

/** The chat whose order an update keeps: its chat, else its sender. */
export function chatOf(update: Update): number {
  const u = update as {
    message?: { chat?: { id?: number } };
    edited_message?: { chat?: { id?: number } };
    callback_query?: { message?: { chat?: { id?: number } }; from?: { id?: number } };
    my_chat_member?: { chat?: { id?: number } };
    group_notice?: { chat?: { id?: number } };
  };
  return (
    u.message?.chat?.id ??
    u.edited_message?.chat?.id ??
    u.callback_query?.message?.chat?.id ??
    u.callback_query?.from?.id ??
    u.my_chat_member?.chat?.id ??
    u.group_notice?.chat?.id ??
    0
  );
}

/** Which of `partitions` streams holds a chat's updates. */
export const partitionOf = (update: Update, partitions: number): number =>
  ((chatOf(update) % partitions) + partitions) % partitions;

/**
 * What makes an update the same update when Telegram hands it over again: its id and its message's
 * date (a button press: its callback query id, unique for good). Update ids start again at a random
 * number after a week without updates (Bot API, getUpdates), so the id alone could drop a new update
 * as a repeat of an old one, as request keys know too (context.ts).
 */
export function updateIdentity(update: Update): string {
  const u = update as unknown as Record<string, { date?: number; id?: string } | undefined>;
  const body = u.message ?? u.edited_message ?? u.channel_post ?? u.edited_channel_post;
  if (body?.date !== undefined) return `${update.update_id}@${body.date}`;
  if (u.callback_query?.id !== undefined) return `${update.update_id}@cb${u.callback_query.id}`;
  if (u.group_notice?.id !== undefined) return `notice:${u.group_notice.id}`;
  return String(update.update_id);
}

/** What an operator sees of an update in a log line or a dead letter: never its text. */
export function describeUpdate(update: Update): {
  updateId: number;
  updateType: string;
  chatId: number;
  userId?: number;
} {
  const updateType = Object.keys(update).find((k) => k !== 'update_id') ?? 'unknown';
  const body = (update as unknown as Record<string, { from?: { id?: number } } | undefined>)[updateType];
  return { updateId: update.update_id, updateType, chatId: chatOf(update), userId: body?.from?.id };
}

/**
 * Tries an update until it is done or out of attempts. `countAttempt` returns this try's number and is
 * kept where it outlives the process (Redis), so a handler that kills its gateway each time still runs
 * out of attempts. `stopping` ends the retries: a gateway shutting down hands the update back instead.
 */
export async function runWithAttempts(
  update: Update,
  handler: UpdateHandler,
  o: {
    policy: AttemptPolicy;
    countAttempt: () => Promise<number>;
    /** Takes back the try just counted: a deferral is not a failure. */
    uncountAttempt: () => Promise<void>;
    stopping: () => boolean;
    logger: Logger;
  },
): Promise<
  | { outcome: 'done' }
  | { outcome: 'dead'; attempts: number; error: unknown }
  | { outcome: 'handedBack' }
  | { outcome: 'deferred'; notBefore: number }
> {
  let lastError: unknown = new Error('its handling never finished: the gateway running it ended');
  for (;;) {
    const number = await o.countAttempt();
    if (number > o.policy.maxAttempts) return { outcome: 'dead', attempts: number - 1, error: lastError };
    try {
      await handler(update, { number, final: number >= o.policy.maxAttempts });
      return { outcome: 'done' };
    } catch (error) {
      if (error instanceof DeferUpdate) {
        await o.uncountAttempt();
        o.logger.info('update deferred', {
          ...describeUpdate(update),
          notBefore: new Date(error.notBefore).toISOString(),
          why: error.message,
        });
        return { outcome: 'deferred', notBefore: error.notBefore };
      }
      lastError = error;
      if (number >= o.policy.maxAttempts) return { outcome: 'dead', attempts: number, error };
      if (o.stopping()) return { outcome: 'handedBack' };
      const pause = o.policy.pauseMs(number);
      o.logger.warn('update failed; trying again', {
        ...describeUpdate(update),
        attempt: number,
        retryInMs: pause,
        error,
      });
      await new Promise((resolve) => setTimeout(resolve, pause));
    }
  }
}

/** Runs `work` once the chat's earlier work has ended: one chat's updates in order, chats side by side. */
export class ChatChains {
  private readonly tails = new Map<number, Promise<void>>();
  private readonly running = new Set<Promise<void>>();

  get size(): number {
    return this.running.size;
  }

  run(chat: number, work: () => Promise<void>): void {
    const mine = (this.tails.get(chat) ?? Promise.resolve()).then(work).catch(() => undefined);
    this.tails.set(chat, mine);
    this.running.add(mine);
    void mine.then(() => {
      this.running.delete(mine);
      if (this.tails.get(chat) === mine) this.tails.delete(chat);
    });
  }

  /** Resolves when one of the running pieces of work ends (at once when none runs). */
  async oneEnded(): Promise<void> {
    if (this.running.size > 0) await Promise.race(this.running);
  }

  /** Resolves when all work ends, or after `ms`; true when all ended. */
  async allEnded(ms: number): Promise<boolean> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), ms)));
    const all = (async () => {
      while (this.running.size > 0) await Promise.all(this.running);
      return true as const;
    })();
    const ended = await Promise.race([all, timeout]);
    clearTimeout(timer);
    return ended;
  }
}

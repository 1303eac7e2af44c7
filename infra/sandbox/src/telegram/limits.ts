import { z } from 'zod';
import { refusals } from './api-error';

/**
 * What Telegram enforces and a lenient stand-in would hide (Bot API FAQ, "My bot is hitting limits"):
 * about 30 messages a second over all chats, about one a second to one chat (short bursts tolerated),
 * and no more than 20 a minute to one group; an edit counts against its chat like a new message; a
 * callback query not answered within ~15 s can no longer be answered. A bot that keeps pushing is told
 * to wait far longer than the next free slot (tens or hundreds of seconds), and Telegram keeps trying a
 * failing webhook for a long time, holding that chat's later updates behind it. Every sandbox runs with
 * these; a test or the bench that plays many people at once raises them explicitly.
 */
export const telegramLimits = z.object({
  /** Messages a second over all chats (a bucket that holds one second's worth). */
  sendsPerSecond: z.number().positive(),
  /** Messages a second to one chat, once its burst is spent. */
  chatSendsPerSecond: z.number().positive(),
  /** Messages one chat takes back to back before the per-second rate applies. */
  chatBurst: z.number().int().min(1),
  /** Messages a minute to one group, supergroup or channel (a bucket that holds a minute's worth). */
  groupSendsPerMinute: z.number().positive(),
  /** Seconds after a button press within which answerCallbackQuery is accepted. */
  callbackAnswerSeconds: z.number().positive(),
  /**
   * 0: a 429's retry_after is the time until the limit lets the next message through. Above 0: a 429
   * says at least this many seconds, and the chat (or, over the global rate, every chat) is refused
   * until they have passed, as Telegram answers a bot that floods (a "flood wait").
   */
  floodWaitSeconds: z.number().int().min(0),
  /** The longest pause between two tries of a failing webhook delivery (they double up to it). */
  webhookRetryMaxPauseSeconds: z.number().positive(),
  /** How long a failing webhook delivery is tried before the update is given up (Telegram: a day). */
  webhookGiveUpSeconds: z.number().positive(),
});
export type TelegramLimits = z.infer<typeof telegramLimits>;

export const DEFAULT_LIMITS: TelegramLimits = {
  sendsPerSecond: 30,
  chatSendsPerSecond: 1,
  chatBurst: 5,
  groupSendsPerMinute: 20,
  callbackAnswerSeconds: 15,
  floodWaitSeconds: 0,
  webhookRetryMaxPauseSeconds: 60,
  webhookGiveUpSeconds: 24 * 3600,
};

/** The methods that post a new message: the ones Telegram's global rate counts. */
export const SEND_METHODS = new Set(
  ['sendMessage', 'sendPhoto', 'sendDocument', 'sendSticker', 'copyMessage', 'forwardMessage'].map((m) =>
    m.toLowerCase(),
  ),
);

/** Edits of a message in a chat: they count against that chat's pace like a new message. */
export const EDIT_METHODS = new Set(
  ['editMessageText', 'editMessageCaption', 'editMessageMedia', 'editMessageReplyMarkup'].map((m) =>
    m.toLowerCase(),
  ),
);

/** What a Bot API call counts against: nothing, its chat's pace (an edit), or that and the global rate. */
export function countedAs(method: string): 'send' | 'edit' | undefined {
  const name = method.toLowerCase();
  return SEND_METHODS.has(name) ? 'send' : EDIT_METHODS.has(name) ? 'edit' : undefined;
}

/** Holds up to `capacity` tokens, refilled at `perSecond`; a refused take spends nothing. */
class TokenBucket {
  private tokens: number;
  private at: number;

  constructor(
    private capacity: number,
    private perSecond: number,
    now: number,
  ) {
    this.tokens = capacity;
    this.at = now;
  }

  /** Milliseconds until a token is there (0: one is there now). */
  waitMs(now: number): number {
    this.tokens = Math.min(this.capacity, this.tokens + ((now - this.at) / 1000) * this.perSecond);
    this.at = now;
    return this.tokens >= 1 ? 0 : ((1 - this.tokens) / this.perSecond) * 1000;
  }

  take(): void {
    this.tokens -= 1;
  }
}

/**
 * Telegram's send limits: a global bucket, one per chat, and a per-minute one per group (a negative
 * chat id, as Telegram numbers groups, supergroups and channels); over any, 429 with `retry_after`.
 */
export class SendLimiter {
  private global!: TokenBucket;
  private chats = new Map<string, TokenBucket>();
  private groups = new Map<string, TokenBucket>();
  /** Flood waits given out: until when (ms) a chat, or '*' for every chat, is refused. */
  private refusedUntil = new Map<string, number>();
  /** 429s answered per chat, so a test can tell a bot that keeps its pace from one that is refused. */
  private refusedCounts = new Map<string, number>();

  constructor(private limits: TelegramLimits) {
    this.configure(limits);
  }

  configure(limits: TelegramLimits): void {
    this.limits = limits;
    this.global = new TokenBucket(limits.sendsPerSecond, limits.sendsPerSecond, Date.now());
    this.chats.clear();
    this.groups.clear();
    this.refusedUntil.clear();
    this.refusedCounts.clear();
  }

  /** How many calls naming `chatId` were refused with 429 since the last reset. */
  refused(chatId: unknown): number {
    return this.refusedCounts.get(String(chatId)) ?? 0;
  }

  /**
   * Counts one message (`send`) or edit (`edit`, not in the global rate) in `chatId`, or refuses it with
   * Telegram's 429 (retry_after in whole seconds).
   */
  admit(chatId: unknown, kind: 'send' | 'edit' = 'send', now = Date.now()): void {
    const key = String(chatId);
    const buckets = [
      this.bucket(this.chats, key, this.limits.chatBurst, this.limits.chatSendsPerSecond, now),
    ];
    if (Number(chatId) < 0)
      buckets.push(
        this.bucket(
          this.groups,
          key,
          this.limits.groupSendsPerMinute,
          this.limits.groupSendsPerMinute / 60,
          now,
        ),
      );
    const global = kind === 'send' ? this.global.waitMs(now) : 0;
    const flooded = Math.max(this.refusedUntil.get(key) ?? 0, this.refusedUntil.get('*') ?? 0) - now;
    const chatWaitMs = Math.max(...buckets.map((b) => b.waitMs(now)));
    const waitMs = Math.max(chatWaitMs, global, flooded);
    if (waitMs > 0) {
      this.refusedCounts.set(key, this.refused(key) + 1);
      const floodMs = this.limits.floodWaitSeconds * 1000;
      if (floodMs > 0 && flooded <= 0) {
        // The wait Telegram names is enforced: calls before it ends are refused as well.
        this.refusedUntil.set(chatWaitMs >= global ? key : '*', now + Math.max(floodMs, waitMs));
        throw refusals.tooManyRequests(Math.ceil(Math.max(floodMs, waitMs) / 1000));
      }
      throw refusals.tooManyRequests(Math.max(1, Math.ceil(waitMs / 1000)));
    }
    for (const b of buckets) b.take();
    if (kind === 'send') this.global.take();
  }

  private bucket(
    map: Map<string, TokenBucket>,
    key: string,
    capacity: number,
    perSecond: number,
    now: number,
  ): TokenBucket {
    let bucket = map.get(key);
    if (!bucket) {
      bucket = new TokenBucket(capacity, perSecond, now);
      map.set(key, bucket);
    }
    return bucket;
  }

  /** Forgets every chat's history (test reset); the limits stay. */
  reset(): void {
    this.configure(this.limits);
  }
}

import { z } from 'zod';
import { refusals } from './api-error';

/**
 * What Telegram enforces and a lenient stand-in would hide (Bot API FAQ, "My bot is hitting limits"):
 * about 30 messages a second over all chats, and about one a second to one chat, short bursts
 * tolerated; a callback query not answered within ~15 s can no longer be answered. Every sandbox runs
 * with these; a test or the bench that plays many people at once raises them explicitly.
 */
export const telegramLimits = z.object({
  /** Messages a second over all chats (a bucket that holds one second's worth). */
  sendsPerSecond: z.number().positive(),
  /** Messages a second to one chat, once its burst is spent. */
  chatSendsPerSecond: z.number().positive(),
  /** Messages one chat takes back to back before the per-second rate applies. */
  chatBurst: z.number().int().min(1),
  /** Seconds after a button press within which answerCallbackQuery is accepted. */
  callbackAnswerSeconds: z.number().positive(),
});
export type TelegramLimits = z.infer<typeof telegramLimits>;

export const DEFAULT_LIMITS: TelegramLimits = {
  sendsPerSecond: 30,
  chatSendsPerSecond: 1,
  chatBurst: 5,
  callbackAnswerSeconds: 15,
};

/** The methods that post a new message: the ones Telegram's send limits count. */
export const SEND_METHODS = new Set(
  ['sendMessage', 'sendPhoto', 'sendDocument', 'sendSticker', 'copyMessage', 'forwardMessage'].map((m) =>
    m.toLowerCase(),
  ),
);

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

/** Telegram's send limits: a global bucket and one per chat; over either, 429 with `retry_after`. */
export class SendLimiter {
  private global!: TokenBucket;
  private chats = new Map<string, TokenBucket>();

  constructor(private limits: TelegramLimits) {
    this.configure(limits);
  }

  configure(limits: TelegramLimits): void {
    this.limits = limits;
    this.global = new TokenBucket(limits.sendsPerSecond, limits.sendsPerSecond, Date.now());
    this.chats.clear();
  }

  /** Counts one message to `chatId`, or refuses it with Telegram's 429 (retry_after in whole seconds). */
  admit(chatId: unknown, now = Date.now()): void {
    const key = String(chatId);
    let chat = this.chats.get(key);
    if (!chat) {
      chat = new TokenBucket(this.limits.chatBurst, this.limits.chatSendsPerSecond, now);
      this.chats.set(key, chat);
    }
    const waitMs = Math.max(chat.waitMs(now), this.global.waitMs(now));
    if (waitMs > 0) throw refusals.tooManyRequests(Math.max(1, Math.ceil(waitMs / 1000)));
    chat.take();
    this.global.take();
  }

  /** Forgets every chat's history (test reset); the limits stay. */
  reset(): void {
    this.configure(this.limits);
  }
}

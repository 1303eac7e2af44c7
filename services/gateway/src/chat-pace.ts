import type { Kv } from './session/kv';

/**
 * Telegram's pace for one group (Bot API FAQ): about 20 messages a minute, and like any chat about one
 * a second after a short burst; an edit counts like a message. Past it Telegram answers 429 and, to a
 * bot that keeps pushing, waits of minutes. So the gateway keeps each group's pace itself, in Redis
 * where every gateway process shares it: each rule a GCRA (a burst, then one every interval: the shape
 * of Telegram's own bucket), both rules' times in one key so a turn is taken from both or neither.
 * A private chat's one a second is left to Telegram's retry_after, which is a second at most.
 */
export class ChatPace {
  private readonly rules: { intervalMs: number; burst: number }[];

  constructor(
    private readonly kv: Kv,
    groupPerMinute: number,
  ) {
    this.rules = [
      { intervalMs: 60_000 / groupPerMinute, burst: groupPerMinute },
      { intervalMs: 1_000, burst: CHAT_BURST },
    ];
  }

  /** Whether a call of `method` naming `chatId` counts against a pace kept here. */
  counts(method: string, chatId: unknown): chatId is number {
    return typeof chatId === 'number' && chatId < 0 && PACED.has(method);
  }

  /** How long a message to group `chatId` would wait for its turn now (nothing taken). */
  async waitMs(chatId: number): Promise<number> {
    return (await this.take(chatId, -1)).waitMs;
  }

  /**
   * How long a message to group `chatId` must wait for its turn, with the turn taken when that is at
   * most `maxWaitMs`; a longer wait is reported and nothing is taken (the caller comes back later).
   */
  async take(chatId: number, maxWaitMs: number): Promise<{ waitMs: number; taken: boolean }> {
    const key = `pace:${chatId}`;
    for (;;) {
      const stored = await this.kv.get(key);
      const now = Date.now();
      const earlier = (stored ?? '').split(',').map(Number);
      // Each rule's next due time, never in the past; the turn comes when every rule allows it.
      const due = this.rules.map((_, i) => Math.max(earlier[i] || 0, now));
      const allowedAt = Math.max(...this.rules.map((r, i) => due[i]! - (r.burst - 1) * r.intervalMs));
      // A hair later than the bucket's exact moment: Telegram's clock and ours are not the same clock.
      const waitMs = allowedAt > now ? allowedAt - now + SAFETY_MS : 0;
      if (waitMs > maxWaitMs) return { waitMs, taken: false };
      const next = this.rules.map((r, i) => due[i]! + r.intervalMs);
      const ttl = Math.ceil((Math.max(...next) - now) / 1000) + 1;
      if (await this.kv.compareAndSet(key, stored, next.join(','), ttl)) return { waitMs, taken: true };
    }
  }
}

/** Telegram's burst to one chat before its one a second applies. */
const CHAT_BURST = 5;
const SAFETY_MS = 100;

/** What Telegram counts against a chat's pace: new messages and edits (sendChatAction, answers: not). */
const PACED = new Set([
  'sendMessage',
  'sendPhoto',
  'sendDocument',
  'sendSticker',
  'sendMediaGroup',
  'copyMessage',
  'forwardMessage',
  'editMessageText',
  'editMessageCaption',
  'editMessageMedia',
  'editMessageReplyMarkup',
]);

import type { Logger } from '@quickcart/kit';
import { TelegramError, type Telegram } from 'telegraf';
import type { ChatPace } from './chat-pace';

/**
 * How long the gateway itself waits out Telegram's 429: a short `retry_after` (a burst to one chat, a
 * busy second) is waited here, a few times at most; a longer one goes back to the caller (the
 * workflows' /notify turns it into an activity retry after that delay).
 */
export interface RetryAfterPolicy {
  attempts: number;
  maxWaitSeconds: number;
}
export const RETRY_AFTER_POLICY: RetryAfterPolicy = { attempts: 4, maxWaitSeconds: 5 };

const wrapped = new WeakSet<Telegram>();

/**
 * Makes every call of this Telegram client honour `parameters.retry_after` (one place for all of them:
 * replies, edits, answers and /notify's sends all go through `callApi`), and keep a group's pace
 * (chat-pace.ts) before Telegram has to refuse: a turn within `maxWaitSeconds` is waited for, a later
 * one is answered as Telegram would (429 with the seconds to wait), so every caller handles both alike.
 * telegraf builds a new client for every update, so the bot's middleware wraps each one (bot.ts).
 * getUpdates is left to the polling loop, which waits out a 429 itself.
 */
export function honourRetryAfter(
  telegram: Telegram,
  logger: Logger,
  policy: RetryAfterPolicy = RETRY_AFTER_POLICY,
  pace?: ChatPace,
): Telegram {
  if (wrapped.has(telegram)) return telegram;
  wrapped.add(telegram);
  const call = telegram.callApi.bind(telegram);
  const paced: typeof call = async (method, payload, options) => {
    const chatId = (payload as { chat_id?: unknown } | undefined)?.chat_id;
    if (pace?.counts(method, chatId)) {
      const turn = await pace.take(chatId, policy.maxWaitSeconds * 1000);
      if (!turn.taken) throw pacedRefusal(method, Math.ceil(turn.waitMs / 1000));
      if (turn.waitMs > 0) await new Promise((resolve) => setTimeout(resolve, turn.waitMs));
    }
    return call(method, payload, options);
  };
  telegram.callApi = async function callHonouringRetryAfter(method, payload, options) {
    for (let attempt = 1; ; attempt++) {
      try {
        return await paced(method, payload, options);
      } catch (error) {
        const wait = retryAfterOf(error);
        if (
          wait === undefined ||
          method === 'getUpdates' ||
          readsStream(payload) ||
          attempt >= policy.attempts ||
          wait > policy.maxWaitSeconds
        )
          throw error;
        logger.warn('telegram rate limit; waiting as asked', { method, retryAfter: wait, attempt });
        await new Promise((resolve) => setTimeout(resolve, wait * 1000));
      }
    }
  } as Telegram['callApi'];
  return telegram;
}

/** Telegram's own 429, said by the gateway for a group whose turn is further off than a caller may wait. */
function pacedRefusal(method: string, seconds: number): TelegramError {
  return new TelegramError(
    {
      error_code: 429,
      description: `Too Many Requests: retry after ${seconds} (the group's pace, kept by the gateway)`,
      parameters: { retry_after: seconds },
    },
    { method },
  );
}

/**
 * A file read from a stream (the /exportorders CSV) is read once: sent again it would arrive empty, so its
 * 429 goes back to the caller, which opens the stream again (admin/report-commands.ts).
 */
function readsStream(payload: unknown, depth = 0): boolean {
  if (typeof payload !== 'object' || payload === null || depth > 2 || ArrayBuffer.isView(payload))
    return false;
  const source = (payload as { source?: unknown }).source;
  if (typeof (source as { pipe?: unknown } | undefined)?.pipe === 'function') return true;
  return Object.values(payload).some((value) => readsStream(value, depth + 1));
}

const retryAfterOf = (error: unknown): number | undefined =>
  error instanceof TelegramError && error.code === 429 ? (error.parameters?.retry_after ?? 1) : undefined;

/** The seconds a 429 that reached the caller asks it to wait (undefined: not a 429). */
export const telegramWaitOf = retryAfterOf;

import type { Logger } from '@quickcart/kit';
import { TelegramError, type Telegram } from 'telegraf';

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
 * replies, edits, answers and /notify's sends all go through `callApi`). telegraf builds a new client
 * for every update, so the bot's middleware wraps each one (bot.ts). getUpdates is left to telegraf's
 * polling loop, which already waits out a 429 itself.
 */
export function honourRetryAfter(
  telegram: Telegram,
  logger: Logger,
  policy: RetryAfterPolicy = RETRY_AFTER_POLICY,
): Telegram {
  if (wrapped.has(telegram)) return telegram;
  wrapped.add(telegram);
  const call = telegram.callApi.bind(telegram);
  telegram.callApi = async function callHonouringRetryAfter(method, payload, options) {
    for (let attempt = 1; ; attempt++) {
      try {
        return await call(method, payload, options);
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

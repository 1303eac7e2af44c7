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

const retryAfterOf = (error: unknown): number | undefined =>
  error instanceof TelegramError && error.code === 429 ? (error.parameters?.retry_after ?? 1) : undefined;

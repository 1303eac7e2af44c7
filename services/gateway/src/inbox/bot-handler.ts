import { isRetryable } from '@quickcart/kit';
import { TelegramError, type Telegraf } from 'telegraf';
import type { Update } from 'telegraf/types';
import type { UpdateHandler } from './inbox';

/** Updates on their last try: the bot's error boundary answers the person only then. */
const lastTries = new WeakSet<Update>();

export const isLastTry = (update: Update): boolean => lastTries.has(update);

/**
 * An outage, which may be over on the next try: one of our services unreachable or failing (5xx),
 * Telegram's 5xx or a dropped connection to it. A refusal (a 4xx, bad input) answers the same next time.
 */
export function worthTryingAgain(error: unknown): boolean {
  if (isRetryable(error)) return true;
  if (error instanceof TelegramError) return error.code >= 500;
  return (error as Error | undefined)?.name === 'FetchError';
}

/** The inbox's handler: the bot runs the update; an outage it rethrows (bot.ts) is the inbox's to retry. */
export function botHandler(bot: Pick<Telegraf, 'handleUpdate'>): UpdateHandler {
  return async (update, attempt) => {
    if (attempt.final) lastTries.add(update);
    await bot.handleUpdate(update);
  };
}

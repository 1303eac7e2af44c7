import { Upstream } from '@quickcart/kit';
import type { Telegraf } from 'telegraf';
import type { Update } from 'telegraf/types';
import type { UpdateHandler } from './inbox';
import { TelegramUnreachable } from '../telegram-transport';

/** Updates on their last try: the bot's error boundary answers the person only then. */
const lastTries = new WeakSet<Update>();

export const isLastTry = (update: Update): boolean => lastTries.has(update);

/**
 * An outage the whole update may be tried again after: one of our services could not be reached
 * (down, restarting), or Telegram could not. Not a timeout or a 5xx: the call may have been applied
 * (an /addstock that committed, then failed to answer), and running the handler again would apply it
 * twice where no request key guards it; unless the call is safe to repeat (a read, the customer's
 * upsert: HttpClient's `idempotent`), so an overloaded service slows the person down instead of
 * failing them. A refusal (a 4xx, bad input) answers the same next time.
 */
export function worthTryingAgain(error: unknown): boolean {
  const e = error as Error | undefined;
  if (error instanceof Upstream) {
    if (error.reason !== 'network') return false;
    return error.details?.idempotent === true || !/timeout|abort/i.test(error.message);
  }
  // Telegram never reached (telegraf's own transport, or ours: telegram-transport.ts).
  return (
    (e?.name === 'FetchError' || error instanceof TelegramUnreachable) &&
    /ECONNREFUSED/.test(e?.message ?? '')
  );
}

/** The inbox's handler: the bot runs the update; an outage it rethrows (bot.ts) is the inbox's to retry. */
export function botHandler(bot: Pick<Telegraf, 'handleUpdate'>): UpdateHandler {
  return async (update, attempt) => {
    if (attempt.final) lastTries.add(update);
    await bot.handleUpdate(update);
  };
}

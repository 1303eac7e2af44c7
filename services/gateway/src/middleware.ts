import type { MiddlewareFn } from 'telegraf';
import type { BotDeps, ShopContext } from './context';
import { answer } from './context';
import { text } from './messages';

/**
 * One update at a time per user, so a double tap cannot race itself (sessions, quantities). A failing
 * handler's error goes on to the error boundary (bot.catch); only the queue's tail swallows it, so the
 * next update of the same user still runs.
 */
export function oneAtATimePerUser(): MiddlewareFn<ShopContext> {
  const tails = new Map<number, Promise<void>>();
  return async (ctx, next) => {
    const id = ctx.from?.id;
    if (id === undefined) return next();
    const previous = tails.get(id) ?? Promise.resolve();
    const mine = previous.then(() => next());
    const tail = mine.catch(() => undefined);
    tails.set(id, tail);
    try {
      await mine;
    } finally {
      if (tails.get(id) === tail) tails.delete(id);
    }
  };
}

/** FEATURES.md §4: about 30 updates a minute per user; over it, one "terlalu cepat" notice a minute. */
export function rateLimit(d: BotDeps): MiddlewareFn<ShopContext> {
  return async (ctx, next) => {
    const id = ctx.from?.id;
    if (id === undefined || ctx.chat?.type !== 'private') return next();
    const minute = Math.floor(Date.now() / 60_000);
    const count = await d.kv.incr(`rate:${id}:${minute}`, 90);
    if (count <= d.config.RATE_LIMIT_PER_MINUTE) return next();
    if (count === d.config.RATE_LIMIT_PER_MINUTE + 1) {
      if (ctx.callbackQuery) await answer(ctx, text.tooFast, true);
      else await ctx.reply(text.tooFast);
    }
  };
}

/** Loads (or creates) the user; a banned user gets one short message and nothing else (§1). */
export function loadUser(d: BotDeps): MiddlewareFn<ShopContext> {
  return async (ctx, next) => {
    const from = ctx.from;
    if (!from || from.is_bot || ctx.chat?.type !== 'private') return next();
    const { user, isNew } = await d.orders.upsertUser({ id: from.id, username: from.username ?? null });
    if (user.isBanned) {
      if (ctx.callbackQuery) await answer(ctx, text.banned, true);
      else await ctx.reply(text.banned);
      return;
    }
    if (user.blockedBot) await d.orders.setBlockedBot(user.id, false); // they are back: message them again
    ctx.shop = { user, isNew };
    return next();
  };
}

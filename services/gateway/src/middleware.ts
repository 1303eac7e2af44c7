import type { Logger } from '@quickcart/kit';
import type { MiddlewareFn } from 'telegraf';
import type { BotDeps, ShopContext } from './context';
import { answer } from './context';
import { text } from './copy/customer';
import { honourRetryAfter } from './retry-after';

/**
 * Telegram drops the answer to a button press that comes too late (~10-15 s) and the person's spinner
 * turns into an error. A press not answered by its handler within this time is answered empty at once,
 * counted from when the update arrived (before it waits behind the same person's earlier updates).
 */
export const ANSWER_DEADLINE_MS = 1_000;

export function answerPressesInTime(deadlineMs = ANSWER_DEADLINE_MS): MiddlewareFn<ShopContext> {
  return async (ctx, next) => {
    if (!ctx.callbackQuery) return next();
    const timer = setTimeout(() => void answer(ctx), deadlineMs);
    try {
      await next();
    } finally {
      clearTimeout(timer);
    }
  };
}

/**
 * How long the polling loop waits for one update. telegraf's long poll handles a batch of updates and
 * asks for the next batch only when every handler of this one has finished, so a handler waiting out
 * one chat's retry_after (or a slow service) would hold every other customer's updates.
 */
export const UPDATE_BUDGET_MS = 2_000;

/**
 * An update still running after its budget goes on by itself and the loop moves on; an error it throws
 * later still reaches the error boundary (`onError`, the same as bot.catch). The price: such an update
 * is confirmed to Telegram before it finished, so a crash in that moment loses it instead of having it
 * handed over again. Nothing is doubled either way (request keys, docs/delivery.md); the person presses
 * again. One that fails within its budget goes to telegraf, which calls bot.catch.
 */
export function letSlowUpdatesGoOn(
  onError: (error: unknown, ctx: ShopContext) => Promise<void>,
  budgetMs = UPDATE_BUDGET_MS,
): MiddlewareFn<ShopContext> {
  return async (ctx, next) => {
    const work = Promise.resolve(next());
    let timer: NodeJS.Timeout | undefined;
    const budget = new Promise<'slow'>((resolve) => {
      timer = setTimeout(() => resolve('slow'), budgetMs);
    });
    try {
      const first = await Promise.race([work.then(() => 'done' as const), budget]);
      if (first === 'slow') void work.catch((error: unknown) => onError(error, ctx).catch(() => undefined));
    } finally {
      clearTimeout(timer);
    }
  };
}

/** telegraf gives every update a client of its own: each honours Telegram's retry_after (retry-after.ts). */
export function retryAfterOnEveryCall(logger: Logger): MiddlewareFn<ShopContext> {
  return (ctx, next) => {
    honourRetryAfter(ctx.telegram, logger);
    return next();
  };
}

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

/** docs/features.md §4: about 30 updates a minute per user; over it, one "terlalu cepat" notice a minute. */
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

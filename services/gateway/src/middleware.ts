import type { Logger } from '@quickcart/kit';
import type { MiddlewareFn } from 'telegraf';
import type { BotDeps, ShopContext } from './context';
import { answer } from './context';
import { copyIn } from './copy/languages';
import { languageFromTelegram } from '@quickcart/orders/contract';
import type { ChatPace } from './chat-pace';
import { honourRetryAfter, RETRY_AFTER_POLICY } from './retry-after';
import { rateVerdictReading } from './rate-limit';
import { telegramSeen } from './user-records';

/**
 * Telegram drops the answer to a button press that comes too late (~10-15 s) and the person's spinner
 * turns into an error. A press not answered by its handler within this time is answered empty at once,
 * counted from when its handler starts (the inbox runs one chat's updates one at a time).
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
 * telegraf gives every update a client of its own: each honours Telegram's retry_after and keeps the
 * groups' pace (retry-after.ts).
 */
export function retryAfterOnEveryCall(logger: Logger, pace: ChatPace): MiddlewareFn<ShopContext> {
  return (ctx, next) => {
    honourRetryAfter(ctx.telegram, logger, RETRY_AFTER_POLICY, pace);
    return next();
  };
}

/**
 * docs/features.md §4: about 30 updates a minute per user (rate-limit.ts); over it, one "terlalu cepat".
 * The count fetches the person's session in the same round trip: an update that passes carries it as
 * `ctx.session` (session/sessions.ts says why a read at the update's start holds for all of it).
 */
export function rateLimit(d: BotDeps): MiddlewareFn<ShopContext> {
  return async (ctx, next) => {
    const id = ctx.from?.id;
    if (id === undefined || ctx.chat?.type !== 'private') return next();
    const { verdict, value } = await rateVerdictReading(
      d.kv,
      String(id),
      d.config.RATE_LIMIT_PER_MINUTE,
      d.sessions.keyOf(id),
    );
    if (verdict === 'pass') {
      ctx.session = d.sessions.ofUpdate(id, value);
      return next();
    }
    if (verdict === 'notice') {
      // Before the user is loaded (that is what this spares orders): the language last seen for them.
      const { text } = copyIn(d.languages.peek(id) ?? languageFromTelegram(ctx.from?.language_code));
      if (ctx.callbackQuery) await answer(ctx, text.tooFast, true);
      else await ctx.reply(text.tooFast);
    }
  };
}

/**
 * Loads (or creates) the user, or reuses their record from a few seconds ago (user-records.ts); a banned
 * user gets one short message and nothing else (§1).
 */
export function loadUser(d: BotDeps): MiddlewareFn<ShopContext> {
  return async (ctx, next) => {
    const from = ctx.from;
    if (!from || from.is_bot || ctx.chat?.type !== 'private') return next();
    const seen = telegramSeen(from);
    const kept = d.users.get(from.id, seen);
    const { user, isNew } = kept
      ? { user: kept, isNew: false }
      : await d.orders.upsertUser({
          id: from.id,
          username: from.username ?? null,
          languageCode: from.language_code ?? null,
        });
    if (!kept) d.users.keep(user, seen);
    d.languages.remember(user);
    if (user.isBanned) {
      const { text } = copyIn(user.language);
      if (ctx.callbackQuery) await answer(ctx, text.banned, true);
      else await ctx.reply(text.banned);
      return;
    }
    if (user.blockedBot) await d.orders.setBlockedBot(user.id, false); // they are back: message them again
    ctx.shop = { user, isNew };
    return next();
  };
}

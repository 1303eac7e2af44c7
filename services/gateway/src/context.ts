import type { CatalogClient } from '@quickcart/catalog/client';
import type { Logger } from '@quickcart/kit';
import type { OrdersClient } from '@quickcart/orders/client';
import { languageFromTelegram, type Language, type User } from '@quickcart/orders/contract';
import { TelegramError, type Context } from 'telegraf';
import type { Convenience, InlineKeyboardMarkup } from 'telegraf/types';
import type { GatewayConfig } from './config';
import { copyIn, type Copy } from './copy/languages';
import type { Notifier } from './notify/route';
import type { RecipientLanguages } from './recipient-languages';
import type { UserRecords } from './user-records';
import type { Kv } from './session/kv';
import { sendLongText, splitHtml } from './telegram-limits';
import type { SessionOfUpdate, Sessions } from './session/sessions';
import type { GatewayMetrics } from './metrics';

export interface BotDeps {
  catalog: CatalogClient;
  orders: OrdersClient;
  sessions: Sessions;
  kv: Kv;
  /** Each sender's own record, reused for a few seconds by their next updates (user-records.ts). */
  users: UserRecords;
  /** The language of someone other than the sender (a /pm, a relayed reply), cached briefly. */
  languages: RecipientLanguages;
  /** Sends once by key (notify/route.ts): the QR the gateway shows as its reply to a press. */
  notify: Notifier;
  /** The menu's figures, shared for a few seconds by every update (see app.ts). */
  figures: {
    totals: () => Promise<{ totalUsers: number; totalTransactions: number }>;
    productIdsInStock: () => Promise<number[]>;
  };
  config: Pick<
    GatewayConfig,
    | 'STORE_NAME'
    | 'DOCS_URL'
    | 'WELCOME_STICKER'
    | 'RATE_LIMIT_PER_MINUTE'
    | 'TELEGRAM_GROUP_MESSAGES_PER_MINUTE'
    | 'BUILD_COMMIT'
    | 'TEMPORAL_UI_URL'
    | 'TEMPORAL_NAMESPACE'
  >;
  logger: Logger;
  /** Bot API calls and updates, counted (docs/operations.md §17); none counted without it. */
  metrics?: GatewayMetrics;
}

/** Every handler knows who is talking: the user record, fetched (or created) once per update. */
export interface ShopContext extends Context {
  shop: { user: User; isNew: boolean };
  /** Their session, read with the update's rate count (middleware.ts) and kept for this update. */
  session: SessionOfUpdate;
}

/**
 * The language of the person this update is from (docs/features.md §8.1): their user's (their choice,
 * else their Telegram language, as orders keeps it); before the user is loaded, or in a group, their
 * Telegram language.
 */
export const languageOf = (ctx: ShopContext): Language =>
  (ctx.shop as ShopContext['shop'] | undefined)?.user.language ??
  languageFromTelegram(ctx.from?.language_code);

/** Every text this update answers with, in its sender's language. */
export const copyOf = (ctx: ShopContext): Copy => copyIn(languageOf(ctx));

/**
 * The key of what an update asks for (an order, a deposit, a preview): Telegram hands an update over
 * again when it was not confirmed (a gateway restart, a webhook retry), and the key makes it land once.
 * It names the bot (two bots of one shop have their own update ids) and the person. A button press is
 * keyed by its callback query id, unique for good; anything else by its update id and the message's date,
 * because update ids start again at a random number after a week without updates (Bot API, getUpdates),
 * and an old id typed again later must be a new request. Orders forgets a key after a stated time
 * (docs/architecture.md §7.2).
 */
export const requestKey = (ctx: ShopContext, what: string): string => {
  const who = `${what}:${ctx.botInfo.id}:${ctx.shop.user.id}`;
  if (ctx.callbackQuery) return `${who}:cb${ctx.callbackQuery.id}`;
  return `${who}:${ctx.update.update_id}@${ctx.msg?.date ?? 0}`;
};

/** The broadcast an admin's /broadcast update starts: its update id and date, as a request key's. */
export const updateName = (ctx: ShopContext): string => `${ctx.update.update_id}-${ctx.msg?.date ?? 0}`;

/**
 * Shows `html`: a button press edits its own message in place (docs/features.md §2.4); anything else, or a
 * message that cannot be edited (a deleted one), gets a new message. A photo (a product's picture)
 * cannot become text (Telegram refuses editMessageText on it), so it is deleted and the screen sent new.
 */
export async function respond(
  ctx: ShopContext,
  html: string,
  extra: Convenience.ExtraEditMessageText & Convenience.ExtraReplyMessage = {},
): Promise<void> {
  const options = { parse_mode: 'HTML' as const, link_preview_options: { is_disabled: true }, ...extra };
  if (splitHtml(html).length > 1) {
    // Too long for one message (a product's long description): new messages, the buttons under the last.
    await sendLongText(ctx.telegram, ctx.chat?.id ?? ctx.from!.id, html, options);
    return;
  }
  const message = ctx.callbackQuery?.message;
  if (message && 'text' in message) {
    try {
      await ctx.editMessageText(html, options);
      return;
    } catch (error) {
      if (/not modified/.test((error as Error).message)) return;
    }
  } else if (message && 'photo' in message) {
    await deletePressed(ctx);
  }
  await ctx.reply(html, options);
}

/**
 * Shows a photo with `caption` (HTML, within Telegram's 1,024): a press on a photo edits it in place
 * (editMessageMedia: picture, caption and buttons at once); a text message cannot become a photo, so it
 * is deleted and the photo sent new. False when Telegram refused the photo (a file id it no longer
 * knows): the caller shows text instead.
 */
export async function respondWithPhoto(
  ctx: ShopContext,
  fileId: string,
  caption: string,
  extra: { reply_markup?: InlineKeyboardMarkup } = {},
): Promise<boolean> {
  const message = ctx.callbackQuery?.message;
  if (message && 'photo' in message) {
    try {
      await ctx.editMessageMedia({ type: 'photo', media: fileId, caption, parse_mode: 'HTML' }, extra);
      return true;
    } catch (error) {
      if (/not modified/.test((error as Error).message)) return true;
    }
  }
  try {
    await ctx.replyWithPhoto(fileId, { caption, parse_mode: 'HTML', ...extra });
  } catch (error) {
    if (!(error instanceof TelegramError) || error.code !== 400) throw error;
    return false;
  }
  await deletePressed(ctx);
  return true;
}

/** Removes the message whose button was pressed; one already gone (or too old to delete) is left be. */
export async function deletePressed(ctx: ShopContext): Promise<void> {
  if (ctx.callbackQuery?.message) await ctx.deleteMessage().catch(() => undefined);
}

const answered = new WeakSet<object>();

/**
 * Answers a button press (Telegram shows a spinner until then), once. A press answered already (the
 * deadline in middleware.ts got there first: the work was slow) cannot take a toast any more; an alert
 * matters too much to lose, so it comes as a message instead.
 */
export async function answer(ctx: ShopContext, textToShow?: string, alert = false): Promise<void> {
  const query = ctx.callbackQuery;
  if (!query) return;
  if (answered.has(query)) {
    if (alert && textToShow) await ctx.reply(textToShow).catch(() => undefined);
    return;
  }
  answered.add(query);
  await ctx.answerCbQuery(textToShow, { show_alert: alert }).catch(() => undefined);
}

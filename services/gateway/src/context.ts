import type { CatalogClient } from '@quickcart/catalog/client';
import type { Logger } from '@quickcart/kit';
import type { OrdersClient } from '@quickcart/orders/client';
import type { User } from '@quickcart/orders/contract';
import type { Context } from 'telegraf';
import type { Convenience } from 'telegraf/types';
import type { GatewayConfig } from './config';
import type { Kv } from './session/kv';
import { sendLongText, splitHtml } from './telegram-limits';
import type { Sessions } from './session/sessions';
import type { GatewayMetrics } from './metrics';

export interface BotDeps {
  catalog: CatalogClient;
  orders: OrdersClient;
  sessions: Sessions;
  kv: Kv;
  /** The menu's figures, shared for a few seconds by every update (see app.ts). */
  figures: {
    totals: () => Promise<{ totalUsers: number; totalTransactions: number }>;
    productIdsInStock: () => Promise<number[]>;
  };
  config: Pick<
    GatewayConfig,
    'STORE_NAME' | 'DOCS_URL' | 'WELCOME_STICKER' | 'RATE_LIMIT_PER_MINUTE' | 'BUILD_COMMIT'
  >;
  logger: Logger;
  /** Bot API calls and updates, counted (docs/operations.md §12); none counted without it. */
  metrics?: GatewayMetrics;
}

/** Every handler knows who is talking: the user record, fetched (or created) once per update. */
export interface ShopContext extends Context {
  shop: { user: User; isNew: boolean };
}

/**
 * The key of what an update asks for (an order, a deposit, a ledger entry): Telegram hands an update over
 * again when it was not confirmed (a gateway restart, a webhook retry), and the key makes it land once. A
 * button press is keyed by its callback query id, unique for good; update ids may start again at a random
 * number after a week without updates, so anything else is keyed by the update id with the user and kind.
 */
export const requestKey = (ctx: ShopContext, what: string): string =>
  `${what}:${ctx.shop.user.id}:${ctx.callbackQuery ? `cb${ctx.callbackQuery.id}` : ctx.update.update_id}`;

/**
 * Shows `html`: a button press edits its own message in place (docs/features.md §2.4); anything else, or a
 * message that cannot be edited (a photo, a deleted one), gets a new message.
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
  }
  await ctx.reply(html, options);
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

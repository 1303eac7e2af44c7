import type { MiddlewareFn } from 'telegraf';
import type { BotDeps, ShopContext } from './context';
import { copyIn, SHOP_LANGUAGE } from './copy/languages';
import { forwardKey, relayAdminReply } from './flows/contact';
import { rateVerdict } from './rate-limit';

/**
 * Group chats (docs/features.md §4): the shop serves people in their private chats; in a group the bot
 * only relays a reply to a customer's forwarded message, and only in a whitelisted notification group
 * (flows/contact.ts decides who speaks for the shop). Every other group update is ignored quietly: no
 * reply (a group is a crowd, and outside every per-person limit), no error, one debug line and a count.
 */
export function groupChats(d: BotDeps): MiddlewareFn<ShopContext> & { ignored: () => number } {
  let ignored = 0;
  const ignore = (ctx: ShopContext, why: string) => {
    ignored++;
    d.logger.debug('group update ignored', {
      chatId: ctx.chat?.id,
      updateId: ctx.update.update_id,
      why,
      ignoredSoFar: ignored,
    });
  };
  const middleware: MiddlewareFn<ShopContext> = async (ctx, next) => {
    const chat = ctx.chat;
    if (!chat || chat.type === 'private') return next();
    const message = ctx.message;
    if (!message || !('reply_to_message' in message) || !message.reply_to_message)
      return ignore(ctx, 'not a reply');
    // Redis first: most replies in a group are to each other, and need no question to orders.
    if (!(await d.kv.get(forwardKey(chat.id, message.reply_to_message.message_id))))
      return ignore(ctx, 'not a reply to a customer');
    const { chatIds } = await d.orders.notificationGroups();
    if (!chatIds.includes(chat.id)) return ignore(ctx, 'not a notification group');
    if (!(await withinPace(d, ctx, chat.id))) return ignore(ctx, 'too fast');
    await relayAdminReply(d, ctx);
  };
  return Object.assign(middleware, { ignored: () => ignored });
}

/**
 * A whitelisted group's replies count against the same per-minute limit as one person's updates
 * (rate-limit.ts): over it, one "terlalu cepat" in the group that window, then silence.
 */
async function withinPace(d: BotDeps, ctx: ShopContext, chatId: number): Promise<boolean> {
  const verdict = await rateVerdict(d.kv, `group:${chatId}`, d.config.RATE_LIMIT_PER_MINUTE);
  if (verdict === 'notice') await ctx.reply(copyIn(SHOP_LANGUAGE).text.tooFast);
  return verdict === 'pass';
}

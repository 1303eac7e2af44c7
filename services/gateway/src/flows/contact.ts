import type { Chat, Message } from 'telegraf/types';
import { copyOf, type BotDeps, type ShopContext } from '../context';
import { copyIn } from '../copy/languages';
import { telegramWaitOf } from '../retry-after';
import { sendLongPhoto, sendLongText } from '../telegram-limits';

const THIRTY_DAYS = 30 * 24 * 3600;
/** Longer than any deferral of the update that sent it. */
const ONE_DAY = 24 * 3600;
/** Who wrote the customer message the bot posted as `messageId` in `chatId` (its reply goes to them). */
export const forwardKey = (chatId: number, messageId: number) => `forwarded:${chatId}:${messageId}`;

/** §2.11 KIRIM PESAN: the next text or photo goes to every admin and whitelisted group. */
export async function askContactMessage(d: BotDeps, ctx: ShopContext): Promise<void> {
  await ctx.session.expect('contact_message');
  await ctx.reply(copyOf(ctx).text.contactAsk);
}

export async function forwardToAdmins(
  d: BotDeps,
  ctx: ShopContext,
  message: Message.TextMessage | Message.PhotoMessage,
): Promise<void> {
  const user = ctx.shop.user;
  const body = 'text' in message ? message.text : (message.caption ?? '');
  const { chatIds } = await d.orders.notificationRecipients();
  let reached = 0;
  let heldBack: unknown;
  // Every admin and group that can be reached gets it: one who blocked the bot, or a group gone, is
  // logged and skipped, never the end of the relay. A group whose turn is far off (about 20 messages
  // a minute) holds the update back: it runs again later (bot.ts) and sends only where it has not.
  for (const chatId of chatIds) {
    const doneKey = `contact:${user.id}:${message.message_id}:${chatId}`;
    if (await d.kv.get(doneKey)) {
      reached++;
      continue;
    }
    try {
      // In each admin's own language; a group reads the shop's.
      const html = copyIn(await d.languages.of(chatId)).adminText.forwarded(user, body);
      const sent =
        'photo' in message
          ? await sendLongPhoto(ctx.telegram, chatId, message.photo[message.photo.length - 1].file_id, html)
          : await sendLongText(ctx.telegram, chatId, html);
      // Remember who wrote it, so an admin's reply to any part of it reaches them.
      for (const part of sent)
        await d.kv.set(forwardKey(chatId, part.message_id), String(user.id), THIRTY_DAYS);
      await d.kv.set(doneKey, '1', ONE_DAY);
      reached++;
    } catch (error) {
      if (telegramWaitOf(error) !== undefined) {
        heldBack ??= error;
        continue;
      }
      d.logger.warn('customer message not forwarded to an admin', { chatId, userId: user.id, error });
    }
  }
  if (heldBack) throw heldBack;
  // Nobody reached: the error boundary tells the customer to try again; the session still waits.
  if (reached === 0 && chatIds.length > 0) throw new Error('no admin could be reached');
  await ctx.session.expect(undefined);
  await ctx.reply(copyOf(ctx).text.contactSent);
}

/**
 * An admin (or a whitelisted group) replying to a forwarded message answers the customer. True when the
 * message was a reply to a forward, relayed or not.
 */
export async function relayAdminReply(d: BotDeps, ctx: ShopContext): Promise<boolean> {
  const message = ctx.message;
  if (!message || !('reply_to_message' in message) || !message.reply_to_message || !ctx.chat) return false;
  const customer = await d.kv.get(forwardKey(ctx.chat.id, message.reply_to_message.message_id));
  if (!customer) return false;
  // Who may answer is decided now, not at the forward: an admin since demoted (/rmadmin) or a group
  // since removed (/rm) no longer speaks for the shop. Silent, as admin commands are to non-admins.
  if (!(await speaksForTheShop(d, ctx, ctx.chat))) return true;
  const body = 'text' in message ? message.text : 'caption' in message ? (message.caption ?? '') : '';
  // Sent once: if the confirmation below must wait for the group's turn, the update runs again later
  // (bot.ts), and the customer must not get the reply twice.
  const relayedKey = `relayed:${ctx.chat.id}:${message.message_id}`;
  if (!(await d.kv.get(relayedKey))) {
    const reply = copyIn(await d.languages.of(Number(customer))).text.adminReply(body);
    await sendLongText(ctx.telegram, Number(customer), reply);
    await d.kv.set(relayedKey, '1', ONE_DAY);
  }
  await ctx.reply(copyOf(ctx).adminText.replySent);
  return true;
}

/** A private chat's user is an admin now (orders decides, ADMIN_IDS included); a group is whitelisted now. */
async function speaksForTheShop(d: BotDeps, ctx: ShopContext, chat: Chat): Promise<boolean> {
  if (chat.type === 'private') return ctx.shop?.user.isAdmin === true;
  const { chatIds } = await d.orders.notificationGroups();
  return chatIds.includes(chat.id);
}

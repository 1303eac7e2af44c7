import type { StartBroadcastBody } from '@quickcart/orders/contract';
import type { Message } from 'telegraf/types';
import { answer, respond, updateName, type BotDeps, type ShopContext } from '../context';
import { btn, inline } from '../keyboards';
import { actor, adminCopy as t, defineCommand } from './command';

/** A message's broadcastable content: its text, or its largest photo with the caption. */
function contentOf(message: Message | undefined, text?: string): StartBroadcastBody['message'] | undefined {
  if (!message) return undefined;
  if ('photo' in message && message.photo.length > 0) {
    const largest = message.photo[message.photo.length - 1];
    return { text: (text ?? message.caption ?? '').trim(), photoFileId: largest.file_id };
  }
  if ('text' in message && message.text.trim() !== '') return { text: (text ?? message.text).trim() };
  return undefined;
}

const progressKeyboard = (ctx: ShopContext, id: string) =>
  inline([
    [
      btn(t(ctx).progressButton, { kind: 'broadcastStatus', id }),
      btn(t(ctx).cancelButton, { kind: 'broadcastCancel', id }),
    ],
  ]);

/**
 * /broadcast (docs/features.md §3.2): `/broadcast text`, a photo captioned `/broadcast text`, or `/broadcast`
 * as a reply to the message to send. Orders starts the `broadcast` workflow, which does the sending;
 * the update (its id and date) names the broadcast, so Telegram redelivering the command never starts a
 * second one, while a new update that gets an old id (Telegram restarts ids after a quiet week) does.
 */
export const broadcastCommand = defineCommand({
  name: 'broadcast',
  parse: (_args, raw, ctx) => {
    const message = ctx.message;
    if (message && 'photo' in message) return contentOf(message, raw);
    if (raw.trim() !== '') return { text: raw.trim() };
    return message && 'reply_to_message' in message
      ? contentOf(message.reply_to_message as Message)
      : undefined;
  },
  run: async (d, ctx, message) => {
    const adminId = ctx.shop.user.id;
    const { id, total } = await d.orders.startBroadcast({
      id: `${adminId}-${updateName(ctx)}`,
      adminId,
      message,
    });
    await ctx.reply(t(ctx).broadcastStarted(id, total), progressKeyboard(ctx, id));
  },
});

/** The progress buttons; a non-admin pressing one (a forwarded message) gets nothing. */
export async function showBroadcastProgress(d: BotDeps, ctx: ShopContext, id: string, cancel = false) {
  if (!ctx.shop.user.isAdmin) return answer(ctx);
  const p = cancel ? await d.orders.cancelBroadcast(id, actor(ctx)) : await d.orders.broadcastProgress(id);
  await respond(ctx, t(ctx).broadcastProgress(id, p), p.state === 'sending' ? progressKeyboard(ctx, id) : {});
  await answer(ctx, cancel ? t(ctx).broadcastStopped : undefined);
}

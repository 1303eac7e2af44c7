import type { StartBroadcastBody } from '@quickcart/orders/contract';
import type { Message } from 'telegraf/types';
import { answer, respond, type BotDeps, type ShopContext } from '../context';
import { esc } from '../format';
import { btn, inline } from '../keyboards';
import { actor, defineCommand } from './command';

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

const progressKeyboard = (id: string) =>
  inline([
    [btn('🔄 Progres', { kind: 'broadcastStatus', id }), btn('⛔ Batalkan', { kind: 'broadcastCancel', id })],
  ]);

/**
 * /broadcast (FEATURES.md §3.2): `/broadcast text`, a photo captioned `/broadcast text`, or `/broadcast`
 * as a reply to the message to send. Orders starts the `broadcast` workflow, which does the sending;
 * the update id names the broadcast, so Telegram redelivering the command never starts a second one.
 */
export const broadcastCommand = defineCommand({
  name: 'broadcast',
  format:
    '/broadcast pesan (atau kirim foto dengan caption /broadcast pesan, atau balas sebuah pesan dengan /broadcast)',
  example: '/broadcast Promo akhir tahun! Diskon 20% semua produk.',
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
      id: `${adminId}-${ctx.update.update_id}`,
      adminId,
      message,
    });
    await ctx.reply(
      `📣 Broadcast dimulai.\n🆔 ${id}\n👥 Penerima: ${total} user\nAnda akan menerima laporan saat selesai.`,
      progressKeyboard(id),
    );
  },
});

/** The progress buttons; a non-admin pressing one (a forwarded message) gets nothing. */
export async function showBroadcastProgress(d: BotDeps, ctx: ShopContext, id: string, cancel = false) {
  if (!ctx.shop.user.isAdmin) return answer(ctx);
  const p = cancel ? await d.orders.cancelBroadcast(id, actor(ctx)) : await d.orders.broadcastProgress(id);
  const state = { sending: '⏳ sedang dikirim', cancelled: '⛔ dibatalkan', done: '✅ selesai' }[p.state];
  await respond(
    ctx,
    [
      `📣 <b>Broadcast</b> ${esc(id)}`,
      `Status: ${state}`,
      `👥 Penerima: ${p.total}`,
      `✅ Terkirim: ${p.sent}`,
      `❌ Gagal: ${p.failed} (memblokir bot: ${p.blocked})`,
      `⏳ Sisa: ${p.remaining}`,
    ].join('\n'),
    p.state === 'sending' ? progressKeyboard(id) : {},
  );
  await answer(ctx, cancel ? 'Broadcast dihentikan.' : undefined);
}

import { qrMessage, type ShownQr } from '@quickcart/notify';
import type { BotDeps, ShopContext } from '../context';

/**
 * The QR is the reply to the press (docs/architecture.md §3): sent by the gateway from checkout's answer,
 * on the bot's own client (429-aware), not the workflows' rate-capped queue. Sent once by its key, which
 * runs started by the older code use for their QR too, and recorded with orders, so the run turns this
 * message into the receipt or the closing notice. A press handed over again gets the recorded message.
 */
export async function replyWithQr(
  d: BotDeps,
  ctx: ShopContext,
  invoiceId: string,
  qr: ShownQr,
): Promise<void> {
  const { messageIds } = await d.notify({
    action: 'send',
    idempotencyKey: `qr:${invoiceId}`,
    chatId: ctx.chat?.id ?? ctx.shop.user.id,
    message: await qrMessage(qr),
  });
  await d.orders.setQrMessage(invoiceId, messageIds[0]!);
}

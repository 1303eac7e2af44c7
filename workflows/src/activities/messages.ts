import type { CatalogClient } from '@quickcart/catalog/client';
import { Conflict, type Logger } from '@quickcart/kit';
import { NOTIFY_REASONS, type NotifyClient, type NotifyMessage } from '@quickcart/notify';
import type { OrdersClient } from '@quickcart/orders/client';
import QRCode from 'qrcode';

export interface MessageDeps {
  notify: NotifyClient;
  catalog: CatalogClient;
  orders: OrdersClient;
  logger: Logger;
}

/** A message without its image: the QR photo is drawn here, inside the activity, never in history. */
export type QrMessage = Omit<Extract<NotifyMessage, { template: 'payment.qris' }>, 'qrPngBase64'> & {
  qrString: string;
};

/**
 * Everything sent to Telegram, through the gateway's /notify. These run on their own rate-capped task
 * queue (DESIGN.md: one budget for order messages and broadcasts). Idempotency keys come from the
 * workflow, so a retried activity never sends a second message.
 */
export function messageActivities({ notify, catalog, orders, logger }: MessageDeps) {
  const send = async (chatId: number, key: string, message: NotifyMessage): Promise<number[]> => {
    try {
      return (await notify.notify({ action: 'send', idempotencyKey: key, chatId, message })).messageIds;
    } catch (error) {
      // A 403 means the customer blocked the bot: remember it, so nothing else tries them (FEATURES.md §7).
      if (error instanceof Conflict && error.reason === NOTIFY_REASONS.botBlocked && chatId > 0) {
        await orders.setBlockedBot(chatId, true).catch(() => undefined);
      }
      throw error;
    }
  };

  return {
    sendMessage: (a: { chatId: number; key: string; message: NotifyMessage }) =>
      send(a.chatId, a.key, a.message),

    async sendQr(a: { chatId: number; key: string; message: QrMessage }): Promise<number> {
      // 6 px a module (about 350 px for a QRIS string) scans well and draws in a third of the time a
      // 512 px stretch took (9 ms against 22 ms: the worker's main thread paid it on every checkout).
      const png = await QRCode.toBuffer(a.message.qrString, { type: 'png', scale: 6, margin: 2 });
      const { qrString: _omit, ...rest } = a.message;
      const [messageId] = await send(a.chatId, a.key, { ...rest, qrPngBase64: png.toString('base64') });
      return messageId;
    },

    async deleteMessage(a: { chatId: number; messageId: number; key: string }): Promise<void> {
      await notify.notify({
        action: 'delete',
        idempotencyKey: a.key,
        chatId: a.chatId,
        messageId: a.messageId,
      });
    },

    async editMessage(a: {
      chatId: number;
      messageId: number;
      key: string;
      message: NotifyMessage;
    }): Promise<void> {
      await notify.notify({
        action: 'edit',
        idempotencyKey: a.key,
        chatId: a.chatId,
        messageId: a.messageId,
        message: a.message,
      });
    },

    /** Fetches the sold contents from catalog and hands them to the gateway in one step (DESIGN.md). */
    async deliverPurchase(a: {
      invoiceId: string;
      chatId: number;
      productName: string;
      quantity: number;
    }): Promise<number[]> {
      const { items } = await catalog.committedItems(a.invoiceId);
      return send(a.chatId, `deliver:${a.invoiceId}`, {
        template: 'purchase.delivered',
        data: {
          invoiceId: a.invoiceId,
          productName: a.productName,
          quantity: a.quantity,
          items: items.map((i) => i.content),
        },
      });
    },

    /** To every admin and whitelisted group; one that blocked the bot does not stop the others. */
    async notifyAdmins(a: { key: string; message: NotifyMessage }): Promise<void> {
      const { chatIds } = await orders.notificationRecipients();
      for (const chatId of chatIds) {
        await send(chatId, `${a.key}:${chatId}`, a.message).catch((error) => {
          if (!(error instanceof Conflict)) throw error;
          logger.warn('admin notification refused', { chatId, reason: error.reason });
        });
      }
    },
  };
}

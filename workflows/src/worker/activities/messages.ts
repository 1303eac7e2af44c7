import type { CatalogClient } from '@quickcart/catalog/client';
import { Conflict, DomainError, isRetryable, type Logger } from '@quickcart/kit';
import { NOTIFY_REASONS, qrMessage, type NotifyClient, type NotifyMessage } from '@quickcart/notify';
import type { OrdersClient } from '@quickcart/orders/client';

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
 * queue (docs/architecture.md §8: one budget for order messages and broadcasts). Idempotency keys come from the
 * workflow, so a retried activity gets the answer the gateway recorded. A retry after an unknown outcome
 * (the gateway died mid-send, Telegram's answer lost) sends again, except the goods (docs/delivery.md).
 */
export function messageActivities({ notify, catalog, orders, logger }: MessageDeps) {
  const deliver = async (chatId: number, key: string, message: NotifyMessage) => {
    try {
      return await notify.notify({ action: 'send', idempotencyKey: key, chatId, message });
    } catch (error) {
      if (!(error instanceof DomainError) || isRetryable(error)) throw error; // Temporal retries it
      // A refusal is recorded here, then the workflow decides: a notice goes on, a delivery parks.
      logger.warn('telegram refused the message', { chatId, key, reason: error.reason });
      // A 403 means the customer blocked the bot: remember it, so nothing else tries them (docs/features.md §7).
      if (error instanceof Conflict && error.reason === NOTIFY_REASONS.botBlocked && chatId > 0) {
        await orders.setBlockedBot(chatId, true).catch(() => undefined);
      }
      throw error;
    }
  };
  const send = async (chatId: number, key: string, message: NotifyMessage): Promise<number[]> =>
    (await deliver(chatId, key, message)).messageIds;
  /** A group Telegram upgraded: orders keeps its new id, so the next notice goes straight there. */
  const followGroup = async (from: number, to: number): Promise<void> => {
    logger.warn('notification group became a supergroup; following it', { from, to });
    await orders
      .moveNotificationGroup(from, to)
      .catch((error: Error) =>
        logger.warn('could not update the notification group', { from, to, message: error.message }),
      );
  };

  return {
    sendMessage: (a: { chatId: number; key: string; message: NotifyMessage }) =>
      send(a.chatId, a.key, a.message),

    async sendQr(a: { chatId: number; key: string; message: QrMessage }): Promise<number> {
      const { qrString, ...rest } = a.message;
      return (await send(a.chatId, a.key, await qrMessage({ qrString, data: rest.data })))[0]!;
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

    /**
     * Fetches the sold contents from catalog and hands them to the gateway in one step (docs/architecture.md §7.3). The
     * gateway shows the goods by editing a placeholder, so retrying this never shows them twice.
     */
    async deliverPurchase(a: {
      invoiceId: string;
      chatId: number;
      productName: string;
      quantity: number;
      /** The QR message, which becomes the receipt (docs/delivery.md). */
      receiptOf?: number;
      /** The QR was the gateway's reply to the press: the receipt is the message orders recorded. */
      receiptOfShownQr?: boolean;
    }): Promise<number[]> {
      // A QRIS order's receipt names how it was paid (docs/features.md §6.1), as orders stored it. A
      // balance purchase's receipt is the confirmation its press was on, as checkout stored it.
      const order = await orders.order(a.invoiceId);
      const pressed = order.pressMessageId ?? undefined;
      const receiptOf = a.receiptOf ?? (a.receiptOfShownQr ? (order.qrMessageId ?? undefined) : pressed);
      const paidVia = order.paidMethod ? { method: order.paidMethod, fee: order.paidFee } : undefined;
      const { items } = await catalog.committedItems(a.invoiceId);
      return send(a.chatId, `deliver:${a.invoiceId}`, {
        template: 'purchase.delivered',
        data: {
          invoiceId: a.invoiceId,
          productName: a.productName,
          quantity: a.quantity,
          items: items.map((i) => i.content),
          ...(receiptOf === undefined ? {} : { receiptOf }),
          ...(receiptOf !== undefined && receiptOf === pressed ? { receiptIsText: true } : {}),
          ...(paidVia ? { paidVia } : {}),
        },
      });
    },

    /**
     * A warranty claim's replacement item (docs/features.md §2.9.1), by the goods' path: the item reserved
     * and sold under the claim id, shown once by editing a placeholder, like a purchase's goods.
     */
    async deliverReplacement(a: {
      claimId: string;
      invoiceId: string;
      chatId: number;
      productName: string;
    }): Promise<number[]> {
      const { items } = await catalog.committedItems(a.claimId);
      return send(a.chatId, `deliver:${a.claimId}`, {
        template: 'warranty.replaced',
        data: {
          claimId: a.claimId,
          invoiceId: a.invoiceId,
          productName: a.productName,
          items: items.map((i) => i.content),
        },
      });
    },

    /**
     * To every admin and whitelisted group. One that refuses (blocked the bot, a group answering 400) is
     * logged and passed over; a group Telegram moved to a supergroup is followed to its new id, which
     * orders then keeps. Only an outage fails the whole notice (and is retried).
     */
    async notifyAdmins(a: { key: string; message: NotifyMessage }): Promise<void> {
      const { chatIds } = await orders.notificationRecipients();
      for (const chatId of chatIds) {
        const answer = await deliver(chatId, `${a.key}:${chatId}`, a.message).catch((error: unknown) => {
          if (!(error instanceof DomainError) || isRetryable(error)) throw error;
          return undefined; // deliver logged it
        });
        if (answer?.movedTo !== undefined) await followGroup(chatId, answer.movedTo);
      }
    },
  };
}

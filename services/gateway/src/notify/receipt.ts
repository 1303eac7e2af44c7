import { Input, TelegramError, type Telegram } from 'telegraf';
import { paymentMethodName } from '@quickcart/pakasir';
import { copyIn, type Language } from '../copy/languages';
import type { PaidWith } from '../copy/customer';
import { CAPTION_LIMIT, TEXT_LIMIT, splitHtml } from '../telegram-limits';

type PaidVia = { method: string; fee: number | null };

export interface ReceiptData {
  invoiceId: string;
  productName: string;
  quantity: number;
  items: string[];
  /** How Pakasir confirmed it was paid, named on the receipt (docs/features.md §6.1). */
  paidVia?: PaidVia;
}

/** A stored payment method as the reader sees it: Pakasir's code (`bni_va`) named ("BNI Virtual Account"). */
export const named = (p: PaidVia | undefined): PaidWith | undefined =>
  p && { name: paymentMethodName(p.method), fee: p.fee };

/** The QR's buttons (status, cancel, checkout pages) mean nothing once it is paid or closed. */
export const NO_BUTTONS = { reply_markup: { inline_keyboard: [] } };

/**
 * Turns the QR message into the receipt in one Telegram call (docs/delivery.md): its caption becomes
 * "✅ Lunas" with the goods, or, when the goods are longer than a caption, the photo becomes a .txt
 * document under the receipt. A text QR message (no QRIS string was drawn) takes a text edit. An edit
 * is idempotent by nature: a retry finds "not modified". Answers false when Telegram will not edit that
 * message (deleted by the customer, too old): the caller then sends the goods as new messages.
 */
export async function showReceipt(
  telegram: Telegram,
  chatId: number,
  messageId: number,
  d: ReceiptData,
  language: Language,
): Promise<boolean> {
  const { notices } = copyIn(language);
  const goods = d.items.join('\n');
  const shown = { ...d, paidVia: named(d.paidVia) };
  const withGoods = notices.receipt(shown, goods);
  try {
    if (fits(withGoods, CAPTION_LIMIT)) {
      await settled(
        telegram.editMessageCaption(chatId, messageId, undefined, withGoods, {
          parse_mode: 'HTML',
          ...NO_BUTTONS,
        }),
      );
    } else {
      await settled(
        telegram.editMessageMedia(
          chatId,
          messageId,
          undefined,
          {
            type: 'document',
            media: Input.fromBuffer(Buffer.from(goods + '\n'), `${d.invoiceId}.txt`),
            caption: notices.receipt(shown),
            parse_mode: 'HTML',
          },
          NO_BUTTONS,
        ),
      );
    }
    return true;
  } catch (error) {
    if (refused(error, /there is no (caption|media) in the message to edit/) && fits(withGoods, TEXT_LIMIT)) {
      await settled(
        telegram.editMessageText(chatId, messageId, undefined, withGoods, {
          parse_mode: 'HTML',
          ...NO_BUTTONS,
        }),
      ).catch(() => undefined);
      return true;
    }
    if (refused(error, /./)) return false;
    throw error;
  }
}

const fits = (html: string, limit: number) => splitHtml(html, limit).length === 1;

const refused = (error: unknown, pattern: RegExp) =>
  error instanceof TelegramError && error.code === 400 && pattern.test(error.description);

/** "message is not modified": an earlier try already made it the receipt. */
const settled = (edit: Promise<unknown>) =>
  edit.catch((error: unknown) => {
    if (!refused(error, /message is not modified/)) throw error;
  });

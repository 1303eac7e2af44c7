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
  /** The message is text (a balance purchase's confirmation): no caption edit is tried first. */
  receiptIsText?: boolean;
}

/** A stored payment method as the reader sees it: Pakasir's code (`bni_va`) named ("BNI Virtual Account"). */
export const named = (p: PaidVia | undefined): PaidWith | undefined =>
  p && { name: paymentMethodName(p.method), fee: p.fee };

/** The QR's buttons (status, cancel, checkout pages) mean nothing once it is paid or closed. */
export const NO_BUTTONS = { reply_markup: { inline_keyboard: [] } };

/**
 * Turns the QR message into the receipt in one Telegram call (docs/delivery.md): its caption becomes
 * "✅ Lunas" with the goods, or, when the goods are longer than a caption, the photo becomes a .txt
 * document under the receipt. A text message takes a text edit: a QR drawn as text (no QRIS string), or
 * a balance purchase's confirmation, the message its press was on (so its goods are the reply). An edit
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
  // A text message (a balance purchase's confirmation, a QR drawn as text) takes a text edit; one longer
  // than a message is refused here, and the goods go as new messages.
  const asText = async (): Promise<boolean> => {
    if (!fits(withGoods, TEXT_LIMIT)) return false;
    await settled(
      telegram.editMessageText(chatId, messageId, undefined, withGoods, {
        parse_mode: 'HTML',
        ...NO_BUTTONS,
      }),
    );
    return true;
  };
  try {
    if (d.receiptIsText) return await asText();
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
    if (refused(error, /there is no (caption|media) in the message to edit/)) return showAsText(asText);
    if (refused(error, /./)) return false;
    throw error;
  }
}

/** The text edit after a caption edit found text: refused too, the goods go as new messages. */
async function showAsText(asText: () => Promise<boolean>): Promise<boolean> {
  try {
    return await asText();
  } catch (error) {
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

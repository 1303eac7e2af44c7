import type { NotifyMessage } from '@quickcart/notify';
import { backKeyboard, qrisKeyboard, warrantyDecisionKeyboard, type InlineExtra } from '../keyboards';
import { copyIn, type Copy, type Language } from '../copy/languages';
import { esc } from '../format';
import { named } from './receipt';
import { packBlocks } from '../telegram-limits';

/**
 * One Telegram message to send for a template (a delivery is two: the success note and the goods).
 * `placeholder`: the message goes out as this short text first and is then edited into the real one, so
 * a retry after an unknown outcome edits again instead of showing it twice (docs/delivery.md).
 */
export type Outgoing =
  | { kind: 'text'; html: string; extra?: InlineExtra; placeholder?: string }
  /** A photo drawn here (bytes) or one Telegram already has (its file id). */
  | { kind: 'photo'; photo: Buffer | string; caption: string; extra?: InlineExtra }
  | { kind: 'document'; content: Buffer; filename: string; caption: string; placeholder?: string };

/** Long deliveries go as a .txt file (docs/features.md §2.8), well under Telegram's 4096-character message limit. */
const MAX_INLINE_CONTENT = 3500;

/** The goods themselves, shown once by editing a placeholder; a .txt file when too long for a message. */
function goodsPart(notices: Copy['notices'], name: string, items: string[]): Outgoing {
  const goods = items.join('\n');
  const placeholder = notices.goodsPlaceholder(name);
  return goods.length > MAX_INLINE_CONTENT
    ? {
        kind: 'document',
        content: Buffer.from(goods + '\n'),
        filename: `${name}.txt`,
        caption: notices.goodsFileCaption(name),
        placeholder,
      }
    : { kind: 'text', html: `<code>${esc(goods)}</code>`, placeholder };
}

/**
 * Lays out the workflows' templates (docs/features.md §2.6–2.10): which messages, files and buttons; the
 * words are the copy modules' (copy/customer.ts, copy/admin.ts) in the recipient's language.
 */
export function render(m: NotifyMessage, language: Language): Outgoing[] {
  const { notices, adminNotices } = copyIn(language);
  switch (m.template) {
    case 'payment.qris': {
      const extra = qrisKeyboard(language, m.data.invoiceId, m.data.checkoutUrl, m.data.otherMethodsUrl);
      const caption = notices.qrisCaption(m.data);
      // No QRIS string to draw (hostedPageOnly): the invoice as text, paid through the page's button.
      if (!m.qrPngBase64) return [{ kind: 'text', html: caption, extra }];
      return [{ kind: 'photo', photo: Buffer.from(m.qrPngBase64, 'base64'), caption, extra }];
    }
    case 'broadcast': {
      // The admin's own words, sent as they typed them (escaped, so `<` never breaks the message).
      const d = m.data;
      return [
        d.photoFileId
          ? { kind: 'photo', photo: d.photoFileId, caption: esc(d.text) }
          : { kind: 'text', html: esc(d.text) },
      ];
    }
    case 'admin.broadcast_done':
      return [{ kind: 'text', html: adminNotices.broadcastDone(m.data) }];
    case 'purchase.delivered':
      return [
        { kind: 'text', html: notices.delivered({ ...m.data, paidVia: named(m.data.paidVia) }) },
        goodsPart(notices, m.data.invoiceId, m.data.items),
      ];
    // A replacement is goods too: the same placeholder form, named by the claim (docs/delivery.md).
    case 'warranty.replaced':
      return [
        { kind: 'text', html: notices.warrantyReplaced(m.data) },
        goodsPart(notices, m.data.claimId, m.data.items),
      ];
    case 'warranty.refunded':
      return [{ kind: 'text', html: notices.warrantyRefunded(m.data) }];
    case 'warranty.rejected':
      return [{ kind: 'text', html: notices.warrantyRejected(m.data) }];
    case 'admin.warranty_claim': {
      // The customer's photo first, captioned with the claim only: the problem (up to 1000 characters)
      // and its header would not always fit Telegram's 1024-character caption, the text always fits.
      const d = m.data;
      const claim: Outgoing = {
        kind: 'text',
        html: adminNotices.warrantyClaim(d),
        extra: warrantyDecisionKeyboard(language, d.claimId),
      };
      if (!d.photoFileId) return [claim];
      return [{ kind: 'photo', photo: d.photoFileId, caption: adminNotices.warrantyPhoto(d.claimId) }, claim];
    }
    case 'admin.warranty_no_stock':
      return [{ kind: 'text', html: adminNotices.warrantyNoStock(m.data) }];
    case 'invoice.expired':
      return [{ kind: 'text', html: notices.invoiceExpired, extra: backKeyboard(language) }];
    case 'purchase.cancelled':
      return [{ kind: 'text', html: notices.purchaseCancelled, extra: backKeyboard(language) }];
    case 'purchase.out_of_stock':
      return [
        { kind: 'text', html: notices.purchaseOutOfStock(m.data.productName), extra: backKeyboard(language) },
      ];
    case 'purchase.insufficient_balance':
      return [{ kind: 'text', html: notices.purchaseInsufficientBalance, extra: backKeyboard(language) }];
    case 'deposit.credited':
      return [{ kind: 'text', html: notices.depositCredited(m.data.amount, named(m.data.paidVia)) }];
    case 'deposit.expired':
      return [{ kind: 'text', html: notices.depositExpired, extra: backKeyboard(language) }];
    case 'late_payment.refunded':
      return [{ kind: 'text', html: notices.latePaymentRefunded(m.data) }];
    case 'admin.digest': {
      // One message for many notices, each as it reads alone; more when they pass Telegram's length,
      // cut between notices, never through one.
      const each = m.data.notices.flatMap((n) =>
        render(n, language).flatMap((o) => (o.kind === 'text' ? [o.html] : [])),
      );
      return packBlocks([adminNotices.digest(each.length), ...each]).map((html) => ({ kind: 'text', html }));
    }
    case 'admin.order_paid':
      return [{ kind: 'text', html: adminNotices.orderPaid(m.data) }];
    case 'admin.order_expired':
      return [{ kind: 'text', html: adminNotices.orderExpired(m.data.invoiceId) }];
    case 'admin.deposit_paid':
      return [{ kind: 'text', html: adminNotices.depositPaid(m.data) }];
    case 'admin.deposit_expired':
      return [{ kind: 'text', html: adminNotices.depositExpired(m.data.invoiceId) }];
    case 'admin.late_payment':
      return [{ kind: 'text', html: adminNotices.latePayment(m.data) }];
    case 'admin.delivery_failed':
      return [{ kind: 'text', html: adminNotices.deliveryFailed(m.data) }];
    case 'admin.qr_cleanup_failed':
      return [{ kind: 'text', html: adminNotices.qrCleanupFailed(m.data) }];
    case 'admin.payment_unknown':
      return [{ kind: 'text', html: adminNotices.paymentUnknown(m.data) }];
    case 'owner.alert':
      return [{ kind: 'text', html: adminNotices.ownerAlert(m.data) }];
    case 'admin.fraud_flag':
      return [{ kind: 'text', html: adminNotices.fraudFlag(m.data) }];
  }
}

/** The admin's broadcast is their own words: no copy, so no need to ask whose language it is. */
export const speaksCopy = (m: NotifyMessage): boolean => m.template !== 'broadcast';

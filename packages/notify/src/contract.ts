/**
 * POST /notify: how workflows reach Telegram. The gateway owns every Telegram call and every text a
 * user sees: callers name a template and give typed data; the gateway renders, sends, edits or deletes.
 * Each request carries an idempotency key: a retried activity gets the recorded answer back. When the
 * earlier outcome is unknown (the gateway died between Telegram's acceptance and the record), a send goes
 * again (at-least-once) except the goods of `purchase.delivered`, shown once; edits and deletes are
 * idempotent. Which is which, and why: docs/delivery.md.
 */
import { z } from 'zod';

const invoiceId = z.string().min(1);
const rupiah = z.number().int().safe();
/**
 * How Pakasir confirmed a payment (its `payment_method`: `qris`, `bni_va`…) and that method's fee (null:
 * not known), as orders stored it (docs/features.md §6.1). The gateway names the method for the reader.
 */
const paidVia = z.object({ method: z.string(), fee: rupiah.nullable() });

/** What the QR message shows (docs/features.md §2.5): the gateway draws it from the QRIS string. */
export const qrisData = z.object({
  kind: z.enum(['purchase', 'deposit']),
  invoiceId,
  totalPayment: rupiah,
  /** Pakasir's fee, inside totalPayment; absent from runs started before issue 13. */
  fee: rupiah.optional(),
  expiresAt: z.string(),
  checkoutUrl: z.string().url(),
  /**
   * "🏦 Metode lain": Pakasir's page for the same invoice without `qris_only` (virtual accounts and the
   * other methods it offers, docs/features.md §6.1). Absent from runs started before it.
   */
  otherMethodsUrl: z.string().url().optional(),
  /**
   * Pakasir's QRIS string was lost with an earlier create's answer: no QR is drawn (a QR of a URL is
   * no QRIS, banking apps refuse it); the customer pays on the checkout page behind the button.
   */
  hostedPageOnly: z.boolean().optional(),
  productName: z.string().optional(),
  quantity: z.number().int().optional(),
});

/**
 * The admins' notices of what went as it should (paid, expired, refunded) and the anti-fraud flags (which
 * only flag, docs/features.md §4): gathered by orders into one
 * `admin.digest` message per admin chat every ADMIN_DIGEST_SECONDS (issue 20), so a busy shop does not
 * owe one admin chat more messages than Telegram lets through. Failures that need a person go at once.
 */
const digestedNotices = [
  z.object({
    template: z.literal('admin.order_paid'),
    data: z.object({ userName: z.string(), productName: z.string(), quantity: z.number().int(), invoiceId }),
  }),
  z.object({ template: z.literal('admin.order_expired'), data: z.object({ invoiceId }) }),
  z.object({
    template: z.literal('admin.deposit_paid'),
    data: z.object({ userName: z.string(), amount: rupiah }),
  }),
  z.object({ template: z.literal('admin.deposit_expired'), data: z.object({ invoiceId }) }),
  z.object({
    template: z.literal('admin.late_payment'),
    data: z.object({ invoiceId, userId: z.number().int(), refunded: rupiah }),
  }),
  /** Orders raised anti-fraud flags on a paid order (docs/features.md §4); nothing was blocked. */
  z.object({
    template: z.literal('admin.fraud_flag'),
    data: z.object({
      userId: z.number().int(),
      invoiceId,
      flags: z.array(z.object({ rule: z.string(), value: z.number().int(), threshold: z.number().int() })),
    }),
  }),
] as const;
export const digestedNotice = z.discriminatedUnion('template', [...digestedNotices]);
export type DigestedNotice = z.infer<typeof digestedNotice>;
/** At most this many notices in one digest (it is split into messages of Telegram's length anyway). */
export const DIGEST_MAX_NOTICES = 100;

/** Every message a workflow can ask for, with the data its template needs (docs/features.md §2.6–2.10). */
export const notifyMessage = z.discriminatedUnion('template', [
  z.object({
    template: z.literal('payment.qris'),
    data: qrisData,
    /**
     * The QRIS string drawn as a PNG (qrcode), base64: the gateway sends it as the photo. Absent when
     * only the checkout page is known (hostedPageOnly): then the message is text with the page's button.
     */
    qrPngBase64: z.string().min(1).optional(),
  }),
  z.object({
    template: z.literal('purchase.delivered'),
    data: z.object({
      /** The QR message to turn into the receipt (docs/delivery.md); absent: the goods go as new messages. */
      receiptOf: z.number().int().optional(),
      /** The receipt-to-be is a text message (a balance purchase's confirmation): edited as text at once. */
      receiptIsText: z.boolean().optional(),
      invoiceId,
      productName: z.string(),
      quantity: z.number().int(),
      items: z.array(z.string()),
      /** Named on the receipt; absent for balance orders and runs started before it. */
      paidVia: paidVia.optional(),
    }),
  }),
  z.object({ template: z.literal('invoice.expired'), data: z.object({ invoiceId }) }),
  z.object({ template: z.literal('purchase.cancelled'), data: z.object({ invoiceId }) }),
  z.object({
    template: z.literal('purchase.out_of_stock'),
    data: z.object({ productName: z.string(), available: z.number().int() }),
  }),
  z.object({ template: z.literal('purchase.insufficient_balance'), data: z.object({ invoiceId }) }),
  z.object({
    template: z.literal('deposit.credited'),
    data: z.object({ invoiceId, amount: rupiah, paidVia: paidVia.optional() }),
  }),
  z.object({ template: z.literal('deposit.expired'), data: z.object({ invoiceId }) }),
  z.object({ template: z.literal('late_payment.refunded'), data: z.object({ invoiceId, refunded: rupiah }) }),
  ...digestedNotices,
  z.object({
    template: z.literal('admin.digest'),
    data: z.object({ notices: z.array(digestedNotice).min(1).max(DIGEST_MAX_NOTICES) }),
  }),
  z.object({
    template: z.literal('admin.delivery_failed'),
    data: z.object({ invoiceId, userId: z.number().int(), reason: z.string() }),
  }),
  /** An admin's /broadcast: their text, or their photo (a Telegram file id) with the text as caption. */
  z.object({
    template: z.literal('broadcast'),
    data: z.object({ text: z.string().max(4096), photoFileId: z.string().min(1).optional() }),
  }),
  z.object({
    template: z.literal('admin.broadcast_done'),
    data: z.object({
      broadcastId: z.string(),
      total: z.number().int(),
      sent: z.number().int(),
      failed: z.number().int(),
      blocked: z.number().int(),
      state: z.enum(['sending', 'cancelled', 'done']),
    }),
  }),
  z.object({
    template: z.literal('admin.qr_cleanup_failed'),
    data: z.object({ invoiceId, userId: z.number().int() }),
  }),
  /** Pakasir would not say whether it was paid: the order is parked for an operator (issue 11). */
  z.object({
    template: z.literal('admin.payment_unknown'),
    data: z.object({ invoiceId, userId: z.number().int(), reason: z.string() }),
  }),
  /** The owner's alert (docs/operations.md §16): once when it starts, once when it is over. */
  z.object({
    template: z.literal('owner.alert'),
    data: z.object({ alert: z.string(), state: z.enum(['firing', 'resolved']), detail: z.string() }),
  }),
  // ---- warranty claims (docs/features.md §2.9.1) ----
  /** A customer's claim for the admins, with 🔁 Ganti, 💸 Refund and ❌ Tolak (the photo when they sent one). */
  z.object({
    template: z.literal('admin.warranty_claim'),
    data: z.object({
      claimId: z.string(),
      invoiceId,
      userId: z.number().int(),
      productName: z.string(),
      problem: z.string(),
      photoFileId: z.string().min(1).optional(),
    }),
  }),
  /** A replacement could not be taken from stock: the claim waits for another press. */
  z.object({
    template: z.literal('admin.warranty_no_stock'),
    data: z.object({ claimId: z.string(), invoiceId, productName: z.string() }),
  }),
  /** The replacement item, shown once like a purchase's goods (docs/delivery.md). */
  z.object({
    template: z.literal('warranty.replaced'),
    data: z.object({ claimId: z.string(), invoiceId, productName: z.string(), items: z.array(z.string()) }),
  }),
  z.object({
    template: z.literal('warranty.refunded'),
    data: z.object({ claimId: z.string(), invoiceId, amount: rupiah }),
  }),
  z.object({
    template: z.literal('warranty.rejected'),
    data: z.object({ claimId: z.string(), invoiceId, reason: z.string() }),
  }),
]);
export type NotifyMessage = z.infer<typeof notifyMessage>;
export type TemplateName = NotifyMessage['template'];

const base = { idempotencyKey: z.string().min(1).max(200), chatId: z.number().int().safe() };
export const notifyRequest = z.discriminatedUnion('action', [
  z.object({ action: z.literal('send'), ...base, message: notifyMessage }),
  z.object({ action: z.literal('edit'), ...base, messageId: z.number().int(), message: notifyMessage }),
  z.object({ action: z.literal('delete'), ...base, messageId: z.number().int() }),
]);
export type NotifyRequest = z.infer<typeof notifyRequest>;

/**
 * The ids of the messages sent (a delivery may be several); empty for a delete. `movedTo`: the chat had
 * become a supergroup and the message went to its new id, which the caller should use from now on.
 */
export const notifyResponse = z.object({
  messageIds: z.array(z.number().int()),
  movedTo: z.number().int().safe().optional(),
  /**
   * A notice to a group whose turn had not come (about 20 messages a minute): the gateway keeps it and
   * sends it in its turn (docs/delivery.md); no message ids yet.
   */
  queued: z.literal(true).optional(),
});
export type NotifyResponse = z.infer<typeof notifyResponse>;

/**
 * Refusals the caller must tell apart (409 with these reasons): Telegram's 429 passes its retry-after
 * on so the activity retries later; a blocked bot (403) will not change by retrying.
 */
export const NOTIFY_REASONS = {
  rateLimited: 'rate_limited',
  botBlocked: 'bot_blocked',
  messageGone: 'message_gone',
} as const;

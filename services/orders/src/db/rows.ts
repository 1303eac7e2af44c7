import { languageFromTelegram, type LedgerEntry, type Order, type User } from '../contract';

/** Rows as PostgreSQL returns them (snake_case; int8 parsed to numbers by @quickcart/db). */
export interface UserRow {
  id: number;
  name: string;
  username: string | null;
  email: string | null;
  whatsapp: string | null;
  role: User['role'];
  bank_id: string;
  balance: number;
  is_banned: boolean;
  blocked_bot: boolean;
  language: User['language'] | null;
  telegram_language: string | null;
  created_at: Date;
}

export const toUser = (r: UserRow, bootstrapAdmins: ReadonlySet<number>): User => ({
  id: r.id,
  name: r.name,
  username: r.username,
  email: r.email,
  whatsapp: r.whatsapp,
  role: r.role,
  isAdmin: r.role === 'admin' || bootstrapAdmins.has(r.id),
  bankId: r.bank_id,
  balance: r.balance,
  isBanned: r.is_banned,
  blockedBot: r.blocked_bot,
  language: r.language ?? languageFromTelegram(r.telegram_language),
  languageChosen: r.language !== null,
  createdAt: r.created_at.toISOString(),
});

export interface LedgerRow {
  id: number;
  user_id: number;
  delta: number;
  reason: LedgerEntry['reason'];
  reference: string | null;
  idempotency_key: string;
  balance_after: number;
  created_at: Date;
}

export const toLedgerEntry = (r: LedgerRow): LedgerEntry => ({
  id: r.id,
  userId: r.user_id,
  delta: r.delta,
  reason: r.reason,
  reference: r.reference,
  idempotencyKey: r.idempotency_key,
  balanceAfter: r.balance_after,
  createdAt: r.created_at.toISOString(),
});

export interface OrderRow {
  id: number;
  invoice_id: string;
  user_id: number;
  kind: Order['kind'];
  subtotal: number;
  voucher_discount: number;
  payment_fee: number;
  total: number;
  payment_method: Order['paymentMethod'];
  status: Order['status'];
  qr_message_id: number | null;
  press_message_id: number | null;
  quoted_fee: number | null;
  invoice_total_payment: number | null;
  paid_method: string | null;
  paid_fee: number | null;
  created_at: Date;
  paid_at: Date | null;
  refunded_amount: number | null;
  product_id: number | null;
  product_name: string | null;
  quantity: number | null;
  price_per_unit: number | null;
  stock_item_ids: string[] | null;
}

export const toOrder = (r: OrderRow): Order => ({
  invoiceId: r.invoice_id,
  userId: r.user_id,
  kind: r.kind,
  productId: r.product_id,
  productName: r.product_name,
  quantity: r.quantity,
  pricePerUnit: r.price_per_unit,
  subtotal: r.subtotal,
  voucherDiscount: r.voucher_discount,
  paymentFee: r.payment_fee,
  total: r.total,
  amount: r.subtotal - r.voucher_discount,
  paymentMethod: r.payment_method,
  status: r.status,
  qrMessageId: r.qr_message_id,
  pressMessageId: r.press_message_id,
  quotedFee: r.quoted_fee,
  invoiceTotalPayment: r.invoice_total_payment,
  paidMethod: r.paid_method,
  paidFee: r.paid_fee,
  stockItemIds: r.stock_item_ids ?? [],
  createdAt: r.created_at.toISOString(),
  paidAt: r.paid_at ? r.paid_at.toISOString() : null,
  refundedAmount: r.refunded_amount,
});

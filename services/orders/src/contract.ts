/**
 * The orders service's public face: users, the balance ledger, orders, checkout and deposits.
 * Other packages import this file and client.ts, nothing else of the service.
 */
import { z } from 'zod';

const rupiah = z.number().int().safe();
export const userId = z.coerce.number().int().positive().safe();
export const invoiceId = z.string().regex(/^[A-Za-z0-9_-]{1,40}$/, 'must be 1-40 letters, digits, _ or -');
export const role = z.enum(['customer', 'reseller', 'admin']);
export type Role = z.infer<typeof role>;

// ---------- users ----------

/** FEATURES.md §2.1: 8–15 digits with an optional leading + or 0. */
export const whatsappNumber = z
  .string()
  .trim()
  .regex(/^(\+|0)?\d{8,15}$/, 'a WhatsApp number is 8-15 digits, optionally starting with + or 0');
export const emailAddress = z.string().trim().toLowerCase().email('not an email address').max(254);
export const displayName = z.string().trim().min(1, 'a name cannot be empty').max(64);

export const user = z.object({
  id: z.number().int(),
  name: z.string(),
  username: z.string().nullable(),
  email: z.string().nullable(),
  whatsapp: z.string().nullable(),
  role,
  /** Bootstrap admins (ADMIN_IDS) are admins whatever their stored role. */
  isAdmin: z.boolean(),
  bankId: z.string(),
  balance: rupiah,
  isBanned: z.boolean(),
  blockedBot: z.boolean(),
  createdAt: z.string(),
});
export type User = z.infer<typeof user>;

export const upsertUserBody = z.object({
  id: userId,
  username: z.string().max(64).nullish(),
  name: displayName.nullish(),
});
export const upsertUserResult = z.object({ user, isNew: z.boolean() });

export const profileBody = z
  .object({
    name: displayName.optional(),
    email: emailAddress.nullable().optional(),
    whatsapp: whatsappNumber.nullable().optional(),
  })
  .refine((b) => Object.values(b).some((v) => v !== undefined), { message: 'nothing to change' });
export type ProfileBody = z.input<typeof profileBody>;

export const roleBody = z.object({ role, actor: z.string().min(1) });
export const banBody = z.object({ banned: z.boolean(), actor: z.string().min(1) });
export const blockedBotBody = z.object({ blocked: z.boolean() });

export const recipients = z.object({ chatIds: z.array(z.number().int()) });

// ---------- ledger ----------

export const ledgerReason = z.enum(['deposit', 'purchase', 'refund', 'transfer', 'edit', 'late_payment']);
export type LedgerReason = z.infer<typeof ledgerReason>;

export const ledgerEntryBody = z.object({
  userId,
  /** Positive credits, negative debits; a debit that would take the balance below 0 is refused (409). */
  delta: rupiah.refine((d) => d !== 0, 'must not be 0'),
  reason: ledgerReason,
  reference: z.string().max(200).nullish(),
  idempotencyKey: z.string().min(1).max(200),
  actor: z.string().min(1).default('system'),
});
export type LedgerEntryBody = z.input<typeof ledgerEntryBody>;

export const ledgerEntry = z.object({
  id: z.number().int(),
  userId: z.number().int(),
  delta: rupiah,
  reason: ledgerReason,
  reference: z.string().nullable(),
  idempotencyKey: z.string(),
  balanceAfter: rupiah,
  createdAt: z.string(),
});
export type LedgerEntry = z.infer<typeof ledgerEntry>;

// ---------- orders ----------

export const orderStatus = z.enum(['pending', 'paid', 'expired', 'cancelled', 'failed']);
export type OrderStatus = z.infer<typeof orderStatus>;
export const paymentMethod = z.enum(['qris', 'balance']);

export const order = z.object({
  invoiceId: z.string(),
  userId: z.number().int(),
  kind: z.enum(['purchase', 'deposit']),
  productId: z.number().int().nullable(),
  productName: z.string().nullable(),
  quantity: z.number().int().nullable(),
  pricePerUnit: rupiah.nullable(),
  subtotal: rupiah,
  voucherDiscount: rupiah,
  paymentFee: rupiah,
  total: rupiah,
  /** What Pakasir collects before its fee: subtotal minus voucher. */
  amount: rupiah,
  paymentMethod,
  status: orderStatus,
  qrMessageId: z.number().int().nullable(),
  stockItemIds: z.array(z.string()),
  createdAt: z.string(),
  paidAt: z.string().nullable(),
});
export type Order = z.infer<typeof order>;

export const checkoutBody = z.object({
  userId,
  productId: z.number().int().positive(),
  quantity: z.number().int().positive().max(1000),
  paymentMethod,
});
export type CheckoutBody = z.input<typeof checkoutBody>;
export type CheckoutRequest = z.output<typeof checkoutBody>;

export const quoteQuery = z.object({
  userId,
  productId: z.coerce.number().int().positive(),
  quantity: z.coerce.number().int().positive().max(1000),
});
export const checkoutQuote = z.object({
  productId: z.number().int(),
  productName: z.string(),
  unitPrice: rupiah,
  quantity: z.number().int(),
  subtotal: rupiah,
  qrisFee: rupiah,
  qrisTotal: rupiah,
  balanceTotal: rupiah,
  balance: rupiah,
});
export type CheckoutQuote = z.infer<typeof checkoutQuote>;

export const DEPOSIT_MIN = 10_000;
export const DEPOSIT_MAX = 10_000_000;
export const depositBody = z.object({
  userId,
  amount: rupiah
    .min(DEPOSIT_MIN, 'the minimum deposit is Rp10.000')
    .max(DEPOSIT_MAX, 'the maximum deposit is Rp10.000.000'),
});
export type DepositBody = z.input<typeof depositBody>;

export const transitionBody = z.object({
  to: orderStatus.exclude(['pending']),
  stockItemIds: z.array(z.string()).optional(),
  actor: z.string().min(1).default('system'),
});
export type TransitionBody = z.input<typeof transitionBody>;

export const qrMessageBody = z.object({ messageId: z.number().int() });

export const orderHistory = z.object({
  items: z.array(order),
  page: z.number().int(),
  totalPages: z.number().int(),
  totalItems: z.number().int(),
});

export const paymentCheck = z.object({ invoiceId: z.string(), status: z.enum(['paid', 'unpaid', 'closed']) });

// ---------- figures for the bot ----------

export const shopTotals = z.object({ totalUsers: z.number().int(), totalTransactions: z.number().int() });
export const topBuyers = z.object({
  items: z.array(z.object({ name: z.string(), total: rupiah, orders: z.number().int() })),
});
export const refundEstimate = z.object({
  invoiceId: z.string(),
  purchasePrice: rupiah,
  daysUsed: z.number().int(),
  baseDays: z.number().int(),
  claims: z.number().int(),
  multiplier: z.number(),
  refund: rupiah,
});
export type RefundEstimate = z.infer<typeof refundEstimate>;

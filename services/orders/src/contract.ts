/**
 * The orders service's public face: users, the balance ledger, orders, checkout and deposits.
 * Other packages import this file and client.ts, nothing else of the service.
 */
import { CATALOG_REFUSAL } from '@quickcart/catalog/contract';
import { formatRupiah, rupiah } from '@quickcart/kit';
import { shownQr } from '@quickcart/notify';
import { PAYMENT_METHOD_PATTERN } from '@quickcart/pakasir';
import { OPENING_REFUSED } from '@quickcart/workflow-api';
import { z } from 'zod';

export const userId = z.coerce.number().int().positive().safe();
export const invoiceId = z.string().regex(/^[A-Za-z0-9_-]{1,40}$/, 'must be 1-40 letters, digits, _ or -');
export const role = z.enum(['customer', 'reseller', 'admin']);
export type Role = z.infer<typeof role>;

/**
 * Why orders refuses (the `reason` of its 404s and 409s): callers compare against these, and the gateway
 * words each for the customer or admin. A refusal the catalog gave is passed on under the catalog's name.
 */
/**
 * How long a caller waits for orders to answer a press (`/checkout`, `/deposits`). Orders itself waits
 * for the press's run at most CHECKOUT_TIMEOUT + CHECKOUT_ANSWER_TIMEOUT (3 s + 20 s) and its config
 * refuses more, so a caller always hears orders' own answer ("busy" included), never its own timeout.
 */
export const PRESS_ANSWER_LIMIT_MS = 45_000;

export const ORDERS_REFUSAL = {
  user: 'user',
  order: 'order',
  broadcast: 'broadcast',
  emailTaken: 'email_taken',
  bootstrapAdmin: 'bootstrap_admin',
  roleMismatch: 'role_mismatch',
  isAdmin: 'is_admin',
  /** 403: an admin change in the name of someone who is not an admin in orders' data. */
  notAdmin: 'not_admin',
  userBanned: 'user_banned',
  outOfStock: CATALOG_REFUSAL.outOfStock,
  insufficientBalance: 'insufficient_balance',
  qrisBelowMinimum: 'qris_below_minimum',
  nothingToPay: 'nothing_to_pay',
  voucherInvalid: 'voucher_invalid',
  voucherExpired: 'voucher_expired',
  voucherCooldown: 'voucher_cooldown',
  requestKeyReused: 'request_key_reused',
  idempotencyKeyReused: 'idempotency_key_reused',
  notPaid: 'not_paid',
  notPending: 'not_pending',
  invalidTransition: 'invalid_transition',
  paymentMissing: 'payment_missing',
  orderClosed: 'order_closed',
  notBalance: 'not_balance',
  notLatePayment: 'not_late_payment',
  paymentNotConfirmed: 'payment_not_confirmed',
  notQris: 'not_qris',
  amountMismatch: 'amount_mismatch',
  notRedeliverable: 'not_redeliverable',
  webhookSecret: 'webhook_secret',
  period: 'period',
  /** A payment run asked to open an order without checkout's seal for it (a forged start). */
  openingRefused: OPENING_REFUSED,
  /** The press reached its payment run after checkout stopped waiting ("Sedang sibuk"): nothing opened. */
  checkoutGaveUp: 'checkout_gave_up',
  /** The drawn invoice id is another order's (or another run's): checkout draws again. */
  invoiceIdTaken: 'invoice_id_taken',
  /** Another checkout with this request key made its order first: that one is the answer. */
  requestKeyTaken: 'request_key_taken',
  /** 503: Temporal did not answer the press in time; nothing was kept ("Sedang sibuk"). */
  busy: 'busy',
  claim: 'claim',
  /** The order is past its product's warranty days (docs/features.md §2.9.1). */
  warrantyExpired: 'warranty_expired',
  /** The claim was decided otherwise before (a press on another outcome's button). */
  claimDecided: 'claim_decided',
  /**
   * The press's run failed after opening (Pakasir refused the invoice, …): it gave back what the order
   * held and tells the customer itself, so the press needs no other answer.
   */
  paymentFailed: 'payment_failed',
} as const;

// ---------- users ----------

/**
 * The languages a user reads the shop in (docs/features.md §8.1). A user who never chose follows
 * Telegram's language_code: English for en, en-US, en-GB…, Bahasa Indonesia for anything else or none.
 */
export const LANGUAGES = ['id', 'en'] as const;
export const language = z.enum(LANGUAGES);
export type Language = z.infer<typeof language>;
export const languageFromTelegram = (code: string | null | undefined): Language =>
  code && /^en(\b|[-_])/i.test(code) ? 'en' : 'id';

/** docs/features.md §2.1: 8–15 digits with an optional leading + or 0; a name of at most 64 characters. */
export const WHATSAPP_DIGITS = { min: 8, max: 15 } as const;
export const NAME_MAX_LENGTH = 64;
export const whatsappNumber = z
  .string()
  .trim()
  .regex(
    new RegExp(`^(\\+|0)?\\d{${WHATSAPP_DIGITS.min},${WHATSAPP_DIGITS.max}}$`),
    `a WhatsApp number is ${WHATSAPP_DIGITS.min}-${WHATSAPP_DIGITS.max} digits, optionally starting with + or 0`,
  );
export const emailAddress = z.string().trim().toLowerCase().email('not an email address').max(254);
export const displayName = z.string().trim().min(1, 'a name cannot be empty').max(NAME_MAX_LENGTH);

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
  /** The language the user reads: their choice, else the one their Telegram names (languageFromTelegram). */
  language,
  /** Whether `language` is the user's own choice (account menu or /lang) rather than Telegram's. */
  languageChosen: z.boolean(),
  createdAt: z.string(),
});
export type User = z.infer<typeof user>;

export const upsertUserBody = z.object({
  id: userId,
  username: z.string().max(64).nullish(),
  name: displayName.nullish(),
  /** Telegram's language_code of the update; absent when Telegram sent none (the last one stays). */
  languageCode: z.string().max(35).nullish(),
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

/** `from`: change only a user whose role is this now (/rmress must not demote an admin by the way). */
export const roleBody = z.object({ role, actor: z.string().min(1), from: role.optional() });
export const banBody = z.object({ banned: z.boolean(), actor: z.string().min(1) });
export const adminMessageBody = z.object({ text: z.string().min(1).max(4096), actor: z.string().min(1) });
export const blockedBotBody = z.object({ blocked: z.boolean() });
/** The user's own choice of language; `actor` is who chose (the user themselves). */
export const languageBody = z.object({ language, actor: z.string().min(1) });

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

/** /transfer: a credit (or debit) by an admin, reason `transfer`; the actor must be an admin. */
export const transferBody = z.object({
  delta: rupiah.refine((d) => d !== 0, 'must not be 0'),
  reference: z.string().max(200).nullish(),
  idempotencyKey: z.string().min(1).max(200),
  actor: z.string().min(1),
});
export type TransferBody = z.input<typeof transferBody>;

/** /editbalance: the balance to set; the entry posted is the difference (reason `edit`). */
export const setBalanceBody = z.object({
  balance: rupiah.refine((b) => b >= 0, 'must not be negative'),
  reference: z.string().max(200).nullish(),
  idempotencyKey: z.string().min(1).max(200),
  actor: z.string().min(1),
});
export type SetBalanceBody = z.input<typeof setBalanceBody>;
/** `entry` is null when the balance already was the one asked for. */
export const setBalanceResult = z.object({ balance: rupiah, entry: ledgerEntry.nullable() });

// ---------- orders ----------

/**
 * `payment_unknown`: Pakasir would not say whether a QRIS order was paid (a 4xx, an answer of an
 * unexpected shape) by the end of its payment window. Parked for an operator; it keeps its stock and
 * voucher, and ends paid, expired, cancelled or failed once its workflow knows.
 */
export const orderStatus = z.enum(['pending', 'paid', 'expired', 'cancelled', 'failed', 'payment_unknown']);
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
  /** A balance purchase's confirmation the customer pressed: it becomes the receipt (docs/delivery.md). */
  pressMessageId: z.number().int().nullable(),
  /** The fee checkout quoted, once Pakasir's own answer replaced it in paymentFee and total. */
  quotedFee: rupiah.nullable(),
  /** Pakasir's `total_payment` for the invoice (what the QR asks), null until Pakasir answered. */
  invoiceTotalPayment: rupiah.nullable(),
  /**
   * Pakasir's `payment_method` as its confirmed detail named it once paid (`qris`, `bni_va`…, docs/features.md
   * §6.1); null before, and for balance orders.
   */
  paidMethod: z.string().nullable(),
  /** That method's fee: Pakasir's QRIS fee for `qris`; null when neither Pakasir nor its prices say. */
  paidFee: rupiah.nullable(),
  stockItemIds: z.array(z.string()),
  createdAt: z.string(),
  paidAt: z.string().nullable(),
  /** A payment that came after the order closed unpaid, refunded to the balance (docs/features.md §2.6). */
  refundedAmount: rupiah.nullable(),
});
export type Order = z.infer<typeof order>;

/**
 * Which request asked for an order: the gateway's key of the Telegram update (a button's callback query).
 * A checkout or deposit whose key already made an order answers that order and does nothing else, so an
 * update Telegram hands over again (after a gateway restart, a webhook retry) makes no second order.
 */
const requestKey = z.string().min(1).max(200);

export const checkoutBody = z.object({
  userId,
  productId: z.number().int().positive(),
  quantity: z.number().int().positive().max(1000),
  paymentMethod,
  /** A voucher the customer applied (docs/features.md §3.3); held by this order until paid or closed. */
  voucherCode: z.string().trim().min(1).max(40).optional(),
  requestKey: requestKey.optional(),
  /**
   * Balance purchases: the customer's message the press was on, which the gateway made "processing"; the
   * run edits it into the receipt with the goods, so the goods are the reply to the press (issue 18).
   */
  pressMessageId: z.number().int().positive().optional(),
});
export type CheckoutBody = z.input<typeof checkoutBody>;
export type CheckoutRequest = z.output<typeof checkoutBody>;

export const quoteQuery = z.object({
  userId,
  productId: z.coerce.number().int().positive(),
  quantity: z.coerce.number().int().positive().max(1000),
  voucherCode: z.string().trim().min(1).max(40).optional(),
});
export const checkoutQuote = z.object({
  productId: z.number().int(),
  productName: z.string(),
  unitPrice: rupiah,
  quantity: z.number().int(),
  subtotal: rupiah,
  /** The applied voucher's discount, never more than the subtotal (0 without one). */
  voucherDiscount: rupiah,
  qrisFee: rupiah,
  qrisTotal: rupiah,
  balanceTotal: rupiah,
  balance: rupiah,
  /** Pakasir's smallest QRIS payment: an amount to pay under it is paid from the balance. */
  qrisMinimum: rupiah,
});
export type CheckoutQuote = z.infer<typeof checkoutQuote>;

export const DEPOSIT_MIN = 10_000;
export const DEPOSIT_MAX = 10_000_000;
export const depositBody = z.object({
  userId,
  amount: rupiah
    .min(DEPOSIT_MIN, `the minimum deposit is ${formatRupiah(DEPOSIT_MIN)}`)
    .max(DEPOSIT_MAX, `the maximum deposit is ${formatRupiah(DEPOSIT_MAX)}`),
  requestKey: requestKey.optional(),
});
export type DepositBody = z.input<typeof depositBody>;
export type DepositRequest = z.output<typeof depositBody>;

/**
 * How Pakasir says a QRIS order was paid (its confirmed detail, never a webhook's body): the method and
 * its fee, null when neither Pakasir nor its published prices say (docs/features.md §6.1).
 */
export const paidVia = z.object({
  method: z.string().regex(PAYMENT_METHOD_PATTERN, 'a Pakasir payment_method such as qris or bni_va'),
  fee: rupiah.nullable(),
});
export type PaidVia = z.infer<typeof paidVia>;

export const transitionBody = z.object({
  to: orderStatus.exclude(['pending']),
  stockItemIds: z.array(z.string()).optional(),
  /** Only with `to: 'paid'` of a QRIS order. */
  paidVia: paidVia.optional(),
  actor: z.string().min(1).default('system'),
});
export type TransitionBody = z.input<typeof transitionBody>;

export const qrMessageBody = z.object({ messageId: z.number().int() });

/**
 * Checkout's answer: the order, and for a QRIS one the QR the gateway shows as its reply to the press
 * (null when the run no longer has it to give, e.g. a press handed over again after the invoice closed).
 */
export const checkoutAnswer = order.extend({ qr: shownQr.nullable() });
export type CheckoutAnswer = z.infer<typeof checkoutAnswer>;

/** POST /orders/:inv/open (the worker, for the payment run): the sealed press. */
export const openBody = z.object({ opening: z.string().min(1).max(4000) });
/**
 * The order opened, with the customer's name for the admins' notices and the other pending QRIS orders
 * of the customer, which this one replaces (docs/features.md §8.3): the run cancels their runs.
 */
export const openedOrder = z.object({
  order,
  userName: z.string(),
  replaced: z.array(z.object({ invoiceId: z.string(), kind: z.enum(['purchase', 'deposit']) })),
});
export type OpenedOrder = z.infer<typeof openedOrder>;

/** Pakasir's answer to the create: its fee and total_payment are what the customer pays. */
export const pakasirInvoiceBody = z.object({ fee: rupiah, totalPayment: rupiah });
export type PakasirInvoiceBody = z.infer<typeof pakasirInvoiceBody>;

export const orderHistory = z.object({
  items: z.array(order),
  page: z.number().int(),
  totalPages: z.number().int(),
  totalItems: z.number().int(),
  /** The page's invoices a warranty claim can be made on now (docs/features.md §2.9.1). */
  claimable: z.array(z.string()).default([]),
});

export const paymentCheck = z.object({ invoiceId: z.string(), status: z.enum(['paid', 'unpaid', 'closed']) });

/**
 * A QRIS payment Pakasir confirmed for an order that had closed unpaid (expired, cancelled, or failed
 * after its QR was shown): its amount goes to the balance, the fee kept (docs/features.md §2.6). Asked after
 * Pakasir's own confirmation; orders decides under the order's lock. A repeat answers the first refund.
 */
export const latePaymentBody = z.object({ actor: z.string().min(1).default('system') });
export const latePaymentRefund = z.object({
  invoiceId: z.string(),
  userId: z.number().int(),
  refunded: rupiah,
  refundedAt: z.string(),
  /** The order's status, which the refund does not change. */
  status: orderStatus,
});
export type LatePaymentRefund = z.infer<typeof latePaymentRefund>;

/** Closed unpaid QRIS orders not refunded, that reconciliation asks Pakasir about, by invoice id. */
export const latePaymentCandidatesQuery = z.object({
  /** Closed at most this many hours ago. */
  sinceHours: z.coerce
    .number()
    .int()
    .positive()
    .max(24 * 30)
    .default(48),
  /** The last invoice id of the previous page. */
  after: invoiceId.optional(),
  limit: z.coerce.number().int().positive().max(500).default(100),
});
export const latePaymentCandidates = z.object({
  items: z.array(z.object({ invoiceId: z.string(), userId: z.number().int(), amount: rupiah })),
});

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

// ---------- admin: broadcasts, settings, notification groups, audit ----------

export const broadcastId = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/);
export const startBroadcastBody = z.object({
  id: broadcastId,
  adminId: userId,
  message: z
    .object({ text: z.string().max(4096), photoFileId: z.string().min(1).optional() })
    .refine((m) => m.text.trim() !== '' || m.photoFileId !== undefined, 'a text or a photo'),
});
export type StartBroadcastBody = z.input<typeof startBroadcastBody>;
export const broadcastProgress = z.object({
  total: z.number().int(),
  sent: z.number().int(),
  failed: z.number().int(),
  blocked: z.number().int(),
  remaining: z.number().int(),
  state: z.enum(['sending', 'cancelled', 'done']),
});
export const broadcastFinish = z.object({
  total: z.number().int().nonnegative(),
  sent: z.number().int().nonnegative(),
  failed: z.number().int().nonnegative(),
  blocked: z.number().int().nonnegative(),
  cancelled: z.boolean(),
});
export type BroadcastFinish = z.infer<typeof broadcastFinish>;
export const broadcastRecipients = z.object({ userIds: z.array(z.number().int()), total: z.number().int() });

export const refundFormula = z.object({
  base_days: z.number(),
  m_lt7: z.number(),
  m_ge7: z.number(),
  m_claims_1_2: z.number(),
  m_claims_3: z.number(),
  m_claims_gt3: z.number(),
});
export const setFormulaBody = z.object({
  key: z.string().min(1),
  value: z.number(),
  actor: z.string().min(1),
});

/** Groups are negative chat ids in Telegram; any non-zero id is accepted (a private chat works too). */
export const groupChatId = z.coerce
  .number()
  .int()
  .safe()
  .refine((n) => n !== 0, 'must not be 0');
export const groupBody = z.object({ actor: z.string().min(1) });
/** A whitelisted group Telegram upgraded to a supergroup: the same group under its new chat id. */
export const moveGroupBody = z.object({ to: groupChatId, actor: z.string().min(1).default('system') });

export const auditQuery = z.object({
  user: z.string().regex(/^\d+$/).optional(),
  reference: z.string().min(1).max(200).optional(),
  limit: z.coerce.number().int().positive().max(100).default(20),
});
export const auditRecord = z.object({
  id: z.number().int(),
  at: z.string(),
  actor: z.string(),
  action: z.string(),
  target: z.object({ type: z.string(), id: z.string() }),
  before: z.unknown(),
  after: z.unknown(),
  reference: z.string().nullable(),
});
export type AuditRecordView = z.infer<typeof auditRecord>;

// ---------- vouchers (docs/features.md §3.3) ----------

/** docs/features.md §3.3 / §4: after using a voucher, a customer waits this long for the next. */
export const VOUCHER_COOLDOWN_MINUTES = 5;

/** /giveaway makes at most this many codes at once (docs/features.md §3.3). */
/**
 * How long a request key (an order's, a giveaway's) stands for its request (docs/architecture.md §7.2):
 * Telegram hands an unconfirmed update over again within a day at most, so a key older than this is no
 * longer a repeat; the same key then makes a new order. Ledger idempotency keys never expire.
 */
export const REQUEST_KEY_DAYS = 7;
export const GIVEAWAY_MAX_CODES = 100;
export const giveawayBody = z.object({
  amount: rupiah.refine((a) => a > 0, 'must be more than 0'),
  count: z.number().int().min(1).max(GIVEAWAY_MAX_CODES),
  actor: z.string().min(1),
  /** The Telegram update that asked: asked again, the same batch is answered (no second batch). */
  requestKey: z.string().min(1).max(200).optional(),
});
export const giveawayResult = z.object({ codes: z.array(z.string()), expiresAt: z.string() });
export const voucherCheckQuery = z.object({ code: z.string().trim().min(1).max(40), userId });
export const voucherCheck = z.object({ code: z.string(), amount: rupiah });

// ---------- sales reports (docs/features.md §3.5) ----------

/**
 * A report's period as typed after /report or /exportorders: `today`, `week`, `month`, or two days
 * `YYYY-MM-DD..YYYY-MM-DD` (both included). Orders resolves it in the shop's timezone (SHOP_TIMEZONE).
 */
export const REPORT_PERIOD_PATTERN = /^(?:(today|week|month)|(\d{4}-\d{2}-\d{2})\.\.(\d{4}-\d{2}-\d{2}))$/;
export const reportPeriod = z
  .string()
  .trim()
  .regex(REPORT_PERIOD_PATTERN, 'today, week, month or YYYY-MM-DD..YYYY-MM-DD');
export const reportQuery = z.object({ period: reportPeriod });
/** The export hands out customers' names and orders: who asked is audited (`orders.export`). */
export const exportQuery = reportQuery.extend({ actor: z.string().min(1).max(40) });
/** How many products and buyers a report ranks. */
export const REPORT_TOP = 5;

const count = z.coerce.number().int().nonnegative();
const sum = z.coerce.number().int();
export const salesReport = z.object({
  period: z.object({ firstDay: z.string(), lastDay: z.string(), timezone: z.string() }),
  /** Orders and deposits made in the period, whatever became of them. */
  ordersCreated: count,
  /** Purchases paid in the period (by when they were paid). */
  purchases: z.object({
    count,
    /** What the goods brought: subtotal after vouchers, without the payment fee. */
    revenue: sum,
    voucherDiscount: sum,
    items: count,
  }),
  byMethod: z.object({
    qris: z.object({ count, revenue: sum }),
    balance: z.object({ count, revenue: sum }),
  }),
  /** Pakasir's fee on QRIS payments (purchases and deposits) paid in the period: paid by customers. */
  qrisFees: sum,
  deposits: z.object({ count, amount: sum }),
  /** Money returned to balances in the period (late-payment refunds and refunds). */
  refunds: z.object({ count, amount: sum }),
  topProducts: z.array(
    z.object({ productId: z.number().int(), name: z.string(), quantity: count, revenue: sum }),
  ),
  topBuyers: z.array(
    z.object({ userId: z.coerce.number().int(), name: z.string(), orders: count, revenue: sum }),
  ),
});
export type SalesReport = z.infer<typeof salesReport>;

/** The CSV export's columns, in order (one row an order or deposit made in the period). */
export const ORDER_EXPORT_COLUMNS = [
  'invoice',
  'created_at',
  'paid_at',
  'customer_id',
  'customer_name',
  'kind',
  'product_id',
  'product',
  'quantity',
  'subtotal',
  'voucher_discount',
  'payment_fee',
  'total',
  'refunded',
  'method',
  'status',
] as const;
// ---------- operators: /stuck (docs/features.md §3.2, docs/operations.md §5) ----------

/** /stuck shows this many orders a page: each has its own row of buttons. */
export const STUCK_PAGE_SIZE = 5;
/** Why an order needs a person: its delivery kept failing, Pakasir would not say, or its window passed. */
export const stuckReason = z.enum(['delivery_failed', 'payment_unknown', 'overdue']);
export type StuckReason = z.infer<typeof stuckReason>;
export const stuckOrdersQuery = z.object({ page: z.coerce.number().int().positive().max(10_000).default(1) });
export const stuckOrders = z.object({
  items: z.array(z.object({ reason: stuckReason, order })),
  page: z.number().int(),
  totalPages: z.number().int(),
  totalItems: z.number().int(),
  /** Temporal did not answer: the delivery_failed ones (which only Temporal knows) are missing. */
  temporalUnavailable: z.boolean(),
});
export type StuckOrders = z.infer<typeof stuckOrders>;
/** A dependency whose refusals the owner hears of (docs/operations.md §16), and who reports its calls. */
export const dependency = z.enum(['pakasir', 'telegram']);
export type Dependency = z.infer<typeof dependency>;
/** The worker alert's detail when Temporal knows of no poll of the worker at all (else the last poll's time). */
export const NEVER_POLLED = 'never';
/** A caller reports only the calls it makes itself: the gateway Telegram's, the worker Pakasir's. */
export const DEPENDENCY_OF_CALLER = { gateway: 'telegram', worker: 'pakasir' } as const;
/** A caller's tally of its calls since its last report, by result (`ok`, `429`, `network`…). */
export const dependencyCallsBody = z.object({
  dependency,
  results: z
    .record(z.string(), z.number().int().min(0).max(10_000_000))
    .refine((r) => Object.keys(r).every((k) => /^[a-z0-9_]{1,32}$/.test(k)), {
      message: 'results by name, such as {"ok": 12, "429": 3, "network": 1}',
    }),
});
/** Who asked, for the audit record: the admin's Telegram id. */
export const operatorActionBody = z.object({ actor: z.string().min(1).max(64) });
export const redeliverResult = z.object({ invoiceId: z.string(), signalled: z.literal(true) });
/** Pakasir's word on an order's payment, asked by an admin ("🔍 Cek Pakasir"). */
export const pakasirAnswer = z.object({
  invoiceId: z.string(),
  /** The order's status after the answer (a paid answer is handed to its workflow, as a webhook is). */
  orderStatus,
  answer: z.discriminatedUnion('state', [
    z.object({ state: z.literal('paid'), completedAt: z.string().nullable() }),
    z.object({ state: z.literal('unpaid'), status: z.string() }),
    z.object({ state: z.literal('unknown'), reason: z.string() }),
  ]),
});
export type PakasirAnswer = z.infer<typeof pakasirAnswer>;

// ---------- anti-fraud flags (docs/features.md §4) ----------

export const fraudFlag = z.object({
  rule: z.enum([
    'payments_per_hour',
    'daily_total',
    'large_transaction',
    'young_account',
    'small_transactions',
  ]),
  invoiceId: z.string(),
  /** The figure that crossed the line (a count or rupiah), and the line. */
  value: z.number().int(),
  threshold: z.number().int(),
  at: z.string(),
});
export type FraudFlag = z.infer<typeof fraudFlag>;
export const fraudFlags = z.object({ items: z.array(fraudFlag) });

// ---------- warranty claims (docs/features.md §2.9.1) ----------

/** The longest problem description a customer may send (Telegram's caption limit, well inside a message). */
export const WARRANTY_PROBLEM_MAX = 1000;
export const WARRANTY_REASON_MAX = 500;
export const WARRANTY_DAYS_MAX = 3650;
export const claimId = z.string().regex(/^warranty-[A-Za-z0-9_-]{1,40}-\d{1,4}$/, 'not a warranty claim id');
export const warrantyStatus = z.enum(['open', 'replaced', 'refunded', 'rejected']);
export type WarrantyStatus = z.infer<typeof warrantyStatus>;

export const warrantyClaim = z.object({
  id: z.string(),
  invoiceId: z.string(),
  n: z.number().int(),
  userId: z.number().int(),
  productId: z.number().int(),
  productName: z.string(),
  problem: z.string(),
  photoFileId: z.string().nullable(),
  status: warrantyStatus,
  decidedBy: z.string().nullable(),
  rejectReason: z.string().nullable(),
  refundAmount: rupiah.nullable(),
  replacementItemIds: z.array(z.string()),
  createdAt: z.string(),
  decidedAt: z.string().nullable(),
});
export type WarrantyClaim = z.infer<typeof warrantyClaim>;

export const openClaimBody = z.object({
  userId,
  invoiceId,
  problem: z.string().trim().min(1).max(WARRANTY_PROBLEM_MAX),
  photoFileId: z.string().min(1).max(200).optional(),
});
export type OpenClaimBody = z.input<typeof openClaimBody>;
/** `created` false: the order already had an open claim, which is answered (a repeated request). */
export const openedClaim = z.object({ claim: warrantyClaim, created: z.boolean() });

const actor = z.string().min(1);
/** An admin's press: the claim's workflow records the first decision; a repeat answers that one. */
export const warrantyDecisionBody = z.discriminatedUnion('decision', [
  z.object({ decision: z.literal('replace'), actor }),
  z.object({ decision: z.literal('refund'), actor }),
  z.object({
    decision: z.literal('reject'),
    actor,
    reason: z.string().trim().min(1).max(WARRANTY_REASON_MAX),
  }),
]);
export type WarrantyDecisionBody = z.infer<typeof warrantyDecisionBody>;
export const warrantyDecisionAnswer = z.object({
  accepted: z.boolean(),
  decision: z.enum(['replace', 'refund', 'reject']),
  claim: warrantyClaim,
});

/** The claim's workflow records what it did: once, a repeat answers the claim as recorded. */
export const warrantyResolveBody = z.discriminatedUnion('outcome', [
  z.object({ outcome: z.literal('replaced'), actor, itemIds: z.array(z.string()).min(1) }),
  z.object({ outcome: z.literal('refunded'), actor }),
  z.object({ outcome: z.literal('rejected'), actor, reason: z.string().min(1).max(WARRANTY_REASON_MAX) }),
]);
export type WarrantyResolveBody = z.infer<typeof warrantyResolveBody>;

export const productWarrantyBody = z.object({
  days: z.number().int().min(0).max(WARRANTY_DAYS_MAX),
  actor,
});
/** `ownDays` null: the product follows the refund formula's base_days. */
export const productWarranty = z.object({
  productId: z.number().int(),
  days: z.number().int(),
  ownDays: z.number().int().nullable(),
});
export type ProductWarranty = z.infer<typeof productWarranty>;

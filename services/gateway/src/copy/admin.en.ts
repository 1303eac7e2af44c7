/**
 * Every text an admin reads, in English: admin.ts's twin, key for key (docs/features.md §3.2, §8.1),
 * picked per admin by copy/languages.ts. The commands' names and the forms of their arguments are the
 * same in both languages; only the words around them change.
 */
import type {
  AuditRecordView,
  FraudFlag,
  Order,
  PakasirAnswer,
  SalesReport,
  StuckReason,
} from '@quickcart/orders/contract';
import type { User } from '@quickcart/orders/contract';
import {
  GIVEAWAY_MAX_CODES,
  refundFormula,
  WARRANTY_DAYS_MAX,
  WARRANTY_REASON_MAX,
} from '@quickcart/orders/contract';
import { esc, orNone, rp, wibDate } from '../format';
import type * as id from './admin';

const FORMULA_KEYS = refundFormula.keyof().options;

/** Each command's arguments and an example: the reply to a wrong format, and the command menu. */
export const usage: typeof id.usage = {
  add: {
    format: '/add id|name|category|price|description',
    example:
      '/add 101|Netflix|Streaming|50000|Premium account.  (- for an automatic id/category/description)',
  },
  addstock: { format: '/addstock id|stock items (one item a line)', example: '/addstock 101|akun1:pass1' },
  del: { format: '/del id', example: '/del 101' },
  delstock: {
    format: '/delstock id|STOCK_ID',
    example: '/delstock 101|0b6f3a52-5c1e-4f0e-9a3d-2b7e8c1d4f00',
  },
  delallstock: { format: '/delallstock id', example: '/delallstock 101' },
  editid: { format: '/editid old_id|new_id', example: '/editid 101|102' },
  editcategory: { format: '/editcategory id|category', example: '/editcategory 101|Streaming' },
  editsold: { format: '/editsold id|count (may be negative)', example: '/editsold 101|10' },
  disc: { format: '/disc id|discount (10% or 5000; 0 removes it)', example: '/disc 101|10%' },
  discat: {
    format: '/discat category|discount (15% or 5000; 0 removes it)',
    example: '/discat Streaming|15%',
  },
  priceress: { format: '/priceress id|reseller_price', example: '/priceress 101|45000' },
  exportstock: { format: '/exportstock id', example: '/exportstock 101' },
  info: { format: '/info user_id', example: '/info 123456789' },
  pm: { format: '/pm user_id|message', example: '/pm 123456789|New promo!' },
  transfer: { format: '/transfer user_id|amount', example: '/transfer 123456789|50000' },
  ban: { format: '/ban user_id', example: '/ban 123456789' },
  unban: { format: '/unban user_id', example: '/unban 123456789' },
  addadmin: { format: '/addadmin user_id', example: '/addadmin 123456789' },
  rmadmin: { format: '/rmadmin user_id', example: '/rmadmin 123456789' },
  addreseller: { format: '/addreseller user_id', example: '/addreseller 123456789' },
  rmress: { format: '/rmress user_id', example: '/rmress 123456789' },
  editbalance: { format: '/editbalance user_id|new_balance', example: '/editbalance 123456789|150000' },
  giveaway: {
    format: `/giveaway amount|count (count 1–${GIVEAWAY_MAX_CODES})`,
    example: '/giveaway 10000|10',
  },
  whitelist: { format: '/whitelist group_chat_id', example: '/whitelist -100123456789' },
  rm: { format: '/rm group_chat_id', example: '/rm -100123456789' },
  setformula: {
    format: `/setformula or /setformula key=value (key: ${FORMULA_KEYS.join(', ')})`,
    example: '/setformula m_lt7=0.8',
  },
  version: { format: '/version', example: '/version' },
  audit: {
    format: '/audit user user_id, /audit invoice INV…, or /audit count (at most 50)',
    example: '/audit user 123456789',
  },
  report: {
    format: '/report [today|week|month|YYYY-MM-DD..YYYY-MM-DD] (no period: today)',
    example: '/report 2026-12-01..2026-12-07',
  },
  exportorders: {
    format: '/exportorders today|week|month|YYYY-MM-DD..YYYY-MM-DD',
    example: '/exportorders month',
  },
  setimage: {
    format: '/setimage id as the caption of a photo, or /setimage id off to remove it',
    example: '/setimage 101 (caption of the product photo)',
  },
  setwarranty: {
    format: `/setwarranty product_id days (0–${WARRANTY_DAYS_MAX}; 0 = no warranty)`,
    example: '/setwarranty 101 14',
  },
  stuck: { format: '/stuck or /stuck page', example: '/stuck 2' },
  broadcast: {
    format:
      '/broadcast message (or send a photo captioned /broadcast message, or reply to a message with /broadcast)',
    example: '/broadcast Year-end sale! 20% off every product.',
  },
  lang: { format: '/lang id|en (id: Bahasa Indonesia, en: English)', example: '/lang en' },
};

type Discount = { type: 'percent' | 'nominal'; value: number } | null;
const discountText = (d: Discount) =>
  d === null ? 'none' : d.type === 'percent' ? `${d.value}%` : rp(d.value);
const SKIP_REASON = { blank: 'blank', duplicate: 'duplicate' } as const;
type SkipReason = keyof typeof SKIP_REASON;
const username = (u: { username: string | null }, none: string) =>
  u.username ? '@' + esc(u.username) : none;

const broadcastCounts = (p: { sent: number; failed: number; blocked: number }) => [
  `✅ Sent: ${p.sent}`,
  `❌ Failed: ${p.failed} (blocked the bot: ${p.blocked})`,
];

const FRAUD_RULE: Record<FraudFlag['rule'], (f: { value: number; threshold: number }) => string> = {
  payments_per_hour: (f) => `${f.value} payments within 1 hour (limit ${f.threshold})`,
  daily_total: (f) => `a total of ${rp(f.value)} within 24 hours (limit ${rp(f.threshold)})`,
  large_transaction: (f) => `one transaction of ${rp(f.value)} (limit ${rp(f.threshold)})`,
  young_account: (f) => `a new account bought ${rp(f.value)} (limit ${rp(f.threshold)})`,
  small_transactions: (f) => `${f.value} small transactions within 1 hour (limit ${f.threshold})`,
};
const fraudText = (f: { rule: string; value: number; threshold: number }) =>
  FRAUD_RULE[f.rule as FraudFlag['rule']]?.(f) ?? esc(f.rule);

type WarrantyDecisionName = 'replace' | 'refund' | 'reject';
const WARRANTY_DECISION: Record<WarrantyDecisionName, string> = {
  replace: '🔁 replace the product',
  refund: '💸 refund to balance',
  reject: '❌ reject',
};

/** Why /stuck lists an order. */
const STUCK_REASON: Record<StuckReason, string> = {
  delivery_failed: '🚨 delivery failed',
  payment_unknown: '❓ payment status uncertain',
  overdue: '⏰ past its deadline',
};

export const adminText: typeof id.adminText = {
  formatError: (c: { format: string; example: string }) =>
    `Wrong format. Correct usage:\n${c.format}\nExample: ${c.example}`,
  refusedInput: (formatError: string, why: string) => `${formatError}\n(${why})`,

  // products
  productAdded: (p: { id: number; name: string; customerPrice: number; category: string }) =>
    `✅ Product added: ${p.id}. ${esc(p.name)} — ${rp(p.customerPrice)} (${esc(p.category)})`,
  stockAdded: (r: { id: number; added: number; skipped: number; stock: number }, detail?: string) =>
    `✅ ${r.added} stock items added to product ${r.id}. Skipped: ${r.skipped}${detail ? ` (${detail})` : ''}. Stock now: ${r.stock}.`,
  skippedLine: (line: number, reason: SkipReason) => `line ${line}: ${SKIP_REASON[reason]}`,
  skippedCount: (count: number, reason: SkipReason) => `${count} ${SKIP_REASON[reason]}`,
  skippedInFile: (counts: string[]) => `${counts.join(', ')}; the lines are listed in the file`,
  skippedFileName: (id: number) => `stock-skipped-${id}.txt`,
  productHidden: (id: number) => `🗑️ Product ${id} hidden (its history is kept).`,
  stockItemDeleted: (id: number, stockId: string) => `🗑️ Stock item ${stockId} deleted from product ${id}.`,
  allStockDeleted: (id: number, r: { deleted: number; keptReserved: number }) =>
    `🗑️ ${r.deleted} stock items deleted from product ${id}; ${r.keptReserved} held by orders were kept.`,
  productIdChanged: (id: number, newId: number) => `✅ Product id ${id} changed to ${newId}.`,
  categoryChanged: (id: number, category: string) => `✅ Product ${id} moved to category ${category}.`,
  soldCount: (id: number, soldCount: number) => `✅ Product ${id} sold count is now ${soldCount}.`,
  productDiscount: (id: number, discount: Discount, price: number) =>
    `✅ Discount of product ${id}: ${discountText(discount)} (price ${rp(price)}).`,
  categoryDiscount: (category: string, discount: Discount) =>
    `✅ Discount of category ${category}: ${discountText(discount)}.`,
  resellerPrice: (id: number, price: number) => `✅ Reseller price of product ${id}: ${rp(price)}.`,
  noStockToExport: (id: number) => `Product ${id} has no unsold stock.`,
  stockExportCaption: (id: number, count: number) => `📄 ${count} unsold stock items of product ${id}`,
  stockExportFileName: (id: number) => `stock-${id}.txt`,

  // users
  userInfo: (u: User, transactions: number, flags: FraudFlag[] = []) =>
    [
      `👤 <b>User info ${u.id}</b>`,
      `Name: ${esc(u.name)}`,
      `Username: ${username(u, 'None')}`,
      `Email: ${orNone(u.email, 'None')}`,
      `WhatsApp: ${orNone(u.whatsapp, 'None')}`,
      `Balance: ${rp(u.balance)}`,
      `Role: ${u.isAdmin ? 'admin' : u.role}`,
      `Blocked: ${u.isBanned ? 'yes' : 'no'}`,
      `Transactions: ${transactions}`,
      flags.length === 0
        ? 'Fraud flags: none'
        : [
            `🚩 Fraud flags (${flags.length} latest, nothing blocked):`,
            ...flags.map((f) => `• ${wibDate(f.at)} ${f.invoiceId}: ${fraudText(f)}`),
          ].join('\n'),
    ].join('\n'),
  userBlockedBot: '❌ The user has blocked the bot.',
  messageSent: '✅ Message sent.',
  transferred: (id: number, amount: number, balance: number) =>
    `✅ ${rp(amount)} added to user ${id}'s balance (now ${rp(balance)}).`,
  banned: (id: number) => `🚫 User ${id} blocked.`,
  unbanned: (id: number) => `✅ User ${id} is no longer blocked.`,
  nowAdmin: (id: number) => `✅ User ${id} is now an admin.`,
  noLongerAdmin: (id: number) => `✅ User ${id} is no longer an admin.`,
  noLongerReseller: (id: number) => `✅ User ${id} is no longer a reseller.`,
  isAdminNotReseller: (id: number) => `❌ User ${id} is an admin; remove that first with /rmadmin.`,
  upgradedToReseller: (name: string) => `⭐️ User ${name} has been upgraded to reseller.`,

  // system
  balanceChanged: (id: number, from: number, to: number) =>
    `✅ User ${id}'s balance changed from ${rp(from)} to ${rp(to)}.`,
  balanceUnchanged: (id: number, balance: number) =>
    `ℹ️ User ${id}'s balance is already ${rp(balance)}; nothing was changed.`,
  vouchersMade: (a: { amount: number; codes: string[]; expiresAt: string }) =>
    [
      `🎁 ${a.codes.length} vouchers of ${rp(a.amount)} made (single use, valid until ${wibDate(a.expiresAt)}):`,
      ...a.codes.map((c) => `<code>${c}</code>`),
    ].join('\n'),
  groupAdded: (chatId: number) => `✅ Group ${chatId} will receive order notifications.`,
  groupAlreadyListed: (chatId: number) => `ℹ️ Group ${chatId} is already listed.`,
  groupRemoved: (chatId: number) => `✅ Group ${chatId} removed from the notifications.`,
  groupNotListed: (chatId: number) => `ℹ️ Group ${chatId} is not listed.`,
  refundFormula: (formula: Record<string, number>, changedKey?: string) =>
    [
      changedKey ? `✅ ${changedKey} changed. The refund formula now:` : '📐 Refund formula:',
      ...FORMULA_KEYS.map((k) => `${k}=${formula[k]}`),
    ].join('\n'),
  version: (v: { version: string; build: string; node: string; since: string }) =>
    [
      `🤖 QuickCart v${v.version}`,
      `Build: ${v.build}`,
      `Node.js ${v.node}`,
      `Running since: ${wibDate(v.since)}`,
    ].join('\n'),
  noAuditRecords: '📜 No matching audit records.',
  auditTitle: (count: number, filter: { user?: string; reference?: string }) =>
    `📜 ${count} latest audit records${filter.user ? ` for user ${filter.user}` : filter.reference ? ` for ${filter.reference}` : ''}`,
  auditFileName: 'audit.txt',
  auditInline: (title: string, body: string) => `${title}:\n\n${esc(body)}`,
  auditLine: (e: AuditRecordView) => {
    const change = (v: unknown) => (v === null || v === undefined ? '-' : JSON.stringify(v));
    return [
      `#${e.id} ${wibDate(e.at)}`,
      e.actor,
      e.action,
      `${e.target.type}:${e.target.id}`,
      `${change(e.before)} → ${change(e.after)}`,
      ...(e.reference ? [`ref ${e.reference}`] : []),
    ].join(' · ');
  },

  // money commands wait for "✅ Run" (docs/features.md §3.2)
  transferPreview: (u: { id: number; name: string; balance: number }, amount: number) =>
    [
      '💸 <b>Balance transfer</b>',
      `👤 User ${u.id} (${esc(u.name)})`,
      `➕ ${rp(amount)}`,
      `💰 Balance: ${rp(u.balance)} → ${rp(u.balance + amount)}`,
    ].join('\n'),
  editBalancePreview: (u: { id: number; name: string; balance: number }, balance: number) =>
    [
      '✏️ <b>Edit balance</b>',
      `👤 User ${u.id} (${esc(u.name)})`,
      `💰 Balance: ${rp(u.balance)} → ${rp(balance)}`,
    ].join('\n'),
  giveawayPreview: (a: { amount: number; count: number }) =>
    [
      '🎁 <b>Voucher giveaway</b>',
      `${a.count} vouchers of ${rp(a.amount)} (single use)`,
      `Total value: ${rp(a.amount * a.count)}`,
    ].join('\n'),
  discountPreview: (
    p: { id: number; name: string; discount: Discount; price: number },
    discount: Discount,
    price: number,
  ) =>
    [
      `🏷️ <b>Discount of product ${p.id}</b> (${esc(p.name)})`,
      `Discount: ${discountText(p.discount)} → ${discountText(discount)}`,
      `Price: ${rp(p.price)} → ${rp(price)}`,
    ].join('\n'),
  confirmAsk: (preview: string, minutes: number) =>
    `${preview}\n\nRun it? These buttons are valid for ${minutes} minutes.`,
  confirmButton: '✅ Run',
  abortButton: '❌ Abort',
  actionAborted: '❌ Command aborted; nothing was changed.',
  actionExpired: (minutes: number) =>
    `⌛ The confirmation expired (more than ${minutes} minutes); nothing was changed. Type the command again.`,
  actionRunning: '⏳ Running…',
  actionAlreadyDone: 'Already done.',

  // broadcasts
  broadcastStarted: (id: string, total: number) =>
    `📣 Broadcast started.\n🆔 ${id}\n👥 Recipients: ${total} users\nYou will get a report when it is done.`,
  broadcastProgress: (
    id: string,
    p: {
      state: 'sending' | 'cancelled' | 'done';
      total: number;
      sent: number;
      failed: number;
      blocked: number;
      remaining: number;
    },
  ) =>
    [
      `📣 <b>Broadcast</b> ${esc(id)}`,
      `Status: ${{ sending: '⏳ sending', cancelled: '⛔ cancelled', done: '✅ done' }[p.state]}`,
      `👥 Recipients: ${p.total}`,
      ...broadcastCounts(p),
      `⏳ Left: ${p.remaining}`,
    ].join('\n'),
  broadcastStopped: 'Broadcast stopped.',
  progressButton: '🔄 Progress',
  cancelButton: '⛔ Cancel',

  // /stuck (docs/features.md §3.2)
  stuckNone: '✅ No stuck orders.',
  stuckTitle: (p: { page: number; totalPages: number; totalItems: number }) =>
    `🧯 <b>Stuck orders</b>: ${p.totalItems} (page ${p.page}/${p.totalPages}), oldest first`,
  stuckTemporalDown: '⚠️ Temporal is not answering: orders whose delivery failed cannot be shown now.',
  stuckLine: (n: number, reason: StuckReason, o: Order, showFilter: boolean) =>
    [
      `${n}. <code>${o.invoiceId}</code> — ${STUCK_REASON[reason]}`,
      `   user <code>${o.userId}</code> · ${o.kind === 'purchase' ? `${esc(o.productName ?? '-')} ×${o.quantity ?? 0}` : 'deposit'} · ${rp(o.total)} · ${o.paymentMethod.toUpperCase()} · ${wibDate(o.createdAt)}`,
      ...(showFilter ? [`   Temporal: <code>InvoiceId = '${o.invoiceId}'</code>`] : []),
    ].join('\n'),
  redeliverButton: (n: number) => `🔁 Redeliver #${n}`,
  pakasirButton: (n: number) => `🔍 Ask Pakasir #${n}`,
  webUiButton: (n: number) => `🌐 Temporal #${n}`,
  redeliverAsked: (invoiceId: string) =>
    `🔁 Redeliver signal sent for ${invoiceId}: the delivery is tried again.`,
  notRedeliverable: (invoiceId: string) =>
    `❌ ${invoiceId} cannot be redelivered: it is not a paid purchase waiting for redeliver.`,
  pakasirAnswer: (a: PakasirAnswer) =>
    [
      `🔍 <b>Pakasir on ${a.invoiceId}</b>`,
      a.answer.state === 'paid'
        ? `Answer: ✅ paid${a.answer.completedAt ? ` (${wibDate(a.answer.completedAt)})` : ''}`
        : a.answer.state === 'unpaid'
          ? `Answer: ⏳ not paid (status ${esc(a.answer.status)})`
          : `Answer: ❓ unreadable (${esc(a.answer.reason)})`,
      `Order status: ${a.orderStatus}`,
    ].join('\n'),
  notQris: (invoiceId: string) => `❌ ${invoiceId} is not a QRIS payment; Pakasir was not asked.`,

  // customers' messages
  forwarded: (u: { id: number; name: string; username: string | null }, body: string) =>
    `📩 <b>Message from ${esc(u.name)}</b> (${username(u, 'no username')}, ID <code>${u.id}</code>)\n\n${esc(body)}\n\n<i>Reply to this message to answer.</i>`,
  replySent: '✅ Reply sent.',

  // refusals from the services, worded for an admin
  notFound: (what: 'product' | 'category' | 'stockItem') =>
    `❌ ${{ product: 'Product', category: 'Category', stockItem: 'Stock item' }[what]} not found.`,
  idTaken: '❌ That id is already used by another product.',
  stockItemHeld: '❌ That stock item is held by an order or sold; it cannot be deleted.',
  refused: (message: string) => `❌ Refused: ${message}`,
  userNotFound: '❌ User not found.',
  bootstrapAdmin: '❌ A built-in admin (ADMIN_IDS) cannot be demoted.',
  roleMismatch: (expected: unknown, role: unknown) =>
    `❌ This user is not ${expected} (their role now: ${role}). Nothing was changed.`,

  // sales reports (docs/features.md §3.5)
  badPeriod: 'no such date, or the last day is before the first',
  salesReport: (r: SalesReport) => {
    const paid = r.purchases;
    return [
      `📊 <b>Sales report</b> ${periodText(r.period)}`,
      '',
      `🧾 Orders made: ${r.ordersCreated}`,
      `✅ Orders paid: ${paid.count} (${paid.items} items)`,
      `💰 Revenue: <b>${rp(paid.revenue)}</b>`,
      `🎟️ Voucher discounts: ${rp(paid.voucherDiscount)}`,
      `   ▫️ QRIS/VA: ${r.byMethod.qris.count} orders, ${rp(r.byMethod.qris.revenue)}`,
      `   ▫️ Balance: ${r.byMethod.balance.count} orders, ${rp(r.byMethod.balance.revenue)}`,
      `🏦 Pakasir fees (paid by buyers): ${rp(r.qrisFees)}`,
      `💳 Deposits: ${r.deposits.count}, ${rp(r.deposits.amount)}`,
      `💸 Refunds to balance: ${r.refunds.count}, ${rp(r.refunds.amount)}`,
      '',
      '<b>🔥 Top products</b>',
      ...(r.topProducts.length
        ? r.topProducts.map(
            (p, i) => `${i + 1}. ${esc(p.name)} (ID ${p.productId}) — ${p.quantity} items, ${rp(p.revenue)}`,
          )
        : ['-']),
      '',
      '<b>🏆 Top buyers</b>',
      ...(r.topBuyers.length
        ? r.topBuyers.map(
            (b, i) =>
              `${i + 1}. ${esc(b.name)} (<code>${b.userId}</code>) — ${b.orders} orders, ${rp(b.revenue)}`,
          )
        : ['-']),
    ].join('\n');
  },
  noOrdersToExport: (period: SalesReport['period']) => `📄 No orders ${periodText(period)}.`,
  orderExportCaption: (period: SalesReport['period']) => `📄 Orders ${periodText(period)}`,
  orderExportFileName: (period: SalesReport['period']) =>
    period.firstDay === period.lastDay
      ? `orders-${period.firstDay}.csv`
      : `orders-${period.firstDay}_${period.lastDay}.csv`,

  // product pictures (docs/features.md §3.2)
  imageSet: (id: number) => `🖼️ Picture of product ${id} saved; the product detail now shows the photo.`,
  imageRemoved: (id: number) => `🗑️ Picture of product ${id} removed; the product detail shows as text.`,

  // /setwarranty (docs/features.md §2.9.1, §3.2)
  warrantySet: (id: number, days: number) =>
    days === 0
      ? `🛡️ Product ${id} now has no warranty: its orders do not show the warranty claim button.`
      : `🛡️ Warranty of product ${id}: ${days} days from payment.`,
  // Warranty claims (docs/features.md §2.9.1): the buttons under a claim and their answers
  warrantyReplaceButton: '🔁 Replace',
  warrantyRefundButton: '💸 Refund',
  warrantyRejectButton: '❌ Reject',
  warrantyAskReason: (claimId: string) =>
    `✏️ Type the reason for rejecting claim ${esc(claimId)} (sent to the customer, at most ${WARRANTY_REASON_MAX} characters):`,
  warrantyReasonTooLong: `❌ The reason is too long (at most ${WARRANTY_REASON_MAX} characters). Type it again.`,
  warrantyDecided: (claimId: string, decision: WarrantyDecisionName) =>
    `✅ Claim ${esc(claimId)}: ${WARRANTY_DECISION[decision]} recorded and under way.`,
  warrantyAlreadyDecided: (claimId: string, decision: WarrantyDecisionName) =>
    `ℹ️ Claim ${esc(claimId)} was already decided: ${WARRANTY_DECISION[decision]}. Nothing changed.`,

  // /lang (docs/features.md §8.1)
  languageSet: '✅ Language: English. Replies, notices and your command menu are in English now.',
};

/** "01/12/2026–07/12/2026 (Asia/Jakarta)"; a single day once. */
function periodText(p: SalesReport['period']): string {
  const day = (iso: string) => iso.split('-').reverse().join('/');
  const days = p.firstDay === p.lastDay ? day(p.firstDay) : `${day(p.firstDay)}–${day(p.lastDay)}`;
  return `${days} (${p.timezone})`;
}

const OWNER_ALERT: Record<string, (detail: string) => string> = {
  deliveries_failed: (n) => `${n} failed deliveries are waiting for redeliver. See /stuck.`,
  payments_stuck: (n) => `${n} payments are stuck (payment_unknown or past their deadline). See /stuck.`,
  audit_outbox_backlog: (n) =>
    `${n} audit records are held in the outbox: the audit database is not accepting them (docs/operations.md §7).`,
  backup_failed: (d) => `Backup failed (${esc(d)}). Run npm run backup and check its log.`,
  pakasir_refusing: (d) =>
    `Pakasir keeps refusing: ${esc(d)} recent calls failed. Check PAKASIR_API_KEY (401/403) or Pakasir's status (5xx, timeout).`,
  telegram_refusing: (d) =>
    `Telegram keeps refusing the bot (${esc(d)}). 429: too many messages; 401/404: the bot token; 409: another instance polling.`,
  worker_not_polling: (d) =>
    `The worker is not taking tasks from Temporal (last poll: ${esc(d)}): no payment moves. Check the worker's log and its /ready.`,
};

export const adminNotices: typeof id.adminNotices = {
  warrantyClaim: (d: {
    claimId: string;
    invoiceId: string;
    userId: number;
    productName: string;
    problem: string;
  }) =>
    [
      `🛡️ <b>New warranty claim</b> ${esc(d.claimId)}`,
      `👤 User: <code>${d.userId}</code>`,
      `📦 Product: ${esc(d.productName)}`,
      `🧾 Invoice: ${d.invoiceId}`,
      `📝 Problem: ${esc(d.problem)}`,
    ].join('\n'),
  warrantyPhoto: (claimId: string) => `🛡️ The customer's photo for claim ${esc(claimId)}`,
  warrantyNoStock: (d: { claimId: string; invoiceId: string; productName: string }) =>
    `⚠️ Claim ${esc(d.claimId)}: ${esc(d.productName)} is out of stock, the product cannot be replaced. Add stock and press 🔁 Replace again, or choose 💸 Refund / ❌ Reject.`,
  ownerAlert: (d: { alert: string; state: 'firing' | 'resolved'; detail: string }) =>
    d.state === 'firing'
      ? `🚨 <b>Alert</b>: ${OWNER_ALERT[d.alert]?.(d.detail) ?? esc(d.alert)}`
      : `✅ <b>Resolved</b>: ${esc(d.alert)} is back to normal.`,
  fraudFlag: (d: {
    userId: number;
    invoiceId: string;
    flags: { rule: string; value: number; threshold: number }[];
  }) =>
    [
      `🚩 <b>Fraud flags</b> for user <code>${d.userId}</code> (${d.invoiceId}); the order goes on:`,
      ...d.flags.map((f) => `• ${fraudText(f)}`),
      `Check with /info ${d.userId}.`,
    ].join('\n'),
  broadcastDone: (d: {
    state: string;
    broadcastId: string;
    total: number;
    sent: number;
    failed: number;
    blocked: number;
  }) =>
    [
      d.state === 'cancelled' ? '⛔ <b>Broadcast cancelled</b>' : '📣 <b>Broadcast done</b>',
      `🆔 ${esc(d.broadcastId)}`,
      ...broadcastCounts(d),
      ...(d.state === 'cancelled' ? [`⏸ Not sent: ${Math.max(0, d.total - d.sent - d.failed)}`] : []),
    ].join('\n'),
  digest: (count: number) => `🗂 <b>Digest</b>: ${count} latest updates`,
  orderPaid: (d: { userName: string; productName: string; quantity: number; invoiceId: string }) =>
    `🆕 New order!\n👤 User: ${esc(d.userName)}\n📦 Product: ${esc(d.productName)}\n🔢 Quantity: ${d.quantity}\n🧾 Invoice: ${d.invoiceId}`,
  orderExpired: (invoiceId: string) => `⚠️ Order expired/not paid\n🧾 Invoice: ${invoiceId}`,
  depositPaid: (d: { userName: string; amount: number }) =>
    `💸 User ${esc(d.userName)} deposited ${rp(d.amount)}.`,
  depositExpired: (invoiceId: string) => `🚫 Deposit expired\n🧾 Invoice: ${invoiceId}`,
  latePayment: (d: { invoiceId: string; userId: number; refunded: number }) =>
    `💸 A late payment for ${d.invoiceId} (user ${d.userId}) was returned to their balance: ${rp(d.refunded)}.`,
  deliveryFailed: (d: { invoiceId: string; userId: number; reason: string }) =>
    `🚨 Delivery failed for ${d.invoiceId} (user ${d.userId}, reason: ${esc(d.reason)}). The order waits for a redeliver signal in Temporal.`,
  qrCleanupFailed: (d: { invoiceId: string; userId: number }) =>
    `⚠️ The QR message of ${d.invoiceId} (user ${d.userId}) could not be deleted or changed.`,
  paymentUnknown: (d: { invoiceId: string; userId: number; reason: string }) =>
    `❓ Pakasir would not confirm the payment status of ${d.invoiceId} (user ${d.userId}) (${esc(d.reason)}). The order is held as payment_unknown: its stock stays reserved and the workflow keeps checking. If you are sure it was not paid, send the cancel signal in Temporal.`,
};

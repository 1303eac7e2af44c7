/**
 * The customer's screens in English: customer-screens.ts's twin, function for function, with the same
 * data on each screen (languages.test.ts checks both).
 */
import type { ProductDetail, ProductSummary } from '@quickcart/catalog/contract';
import type { CheckoutQuote, Order, RefundEstimate, User } from '@quickcart/orders/contract';
import { esc, orNone, rp, wibDate } from '../format';
import { fitCaption } from './product-caption';
import { text } from './customer.en';

export function mainMenu(a: {
  name: string;
  storeName: string;
  totalUsers: number;
  totalTransactions: number;
  docsUrl: string;
}): string {
  return [
    `ᯓ Hello <b>${esc(a.name)}</b> 👋🏻`,
    `Welcome to <b>${esc(a.storeName)}</b>`,
    '',
    `⤷ <b>Total users: ${a.totalUsers}</b>`,
    `⤷ <b>Total transactions: ${a.totalTransactions}x</b>`,
    '',
    `Documentation: <a href="${esc(a.docsUrl)}">Read here</a>`,
    'Use the buttons below to see the products available.',
  ].join('\n');
}

export function productList(
  title: string,
  items: ProductSummary[],
  page: number,
  totalPages: number,
): string {
  const lines = items.map((p) => `${p.id}. ${esc(p.name)} — ${rp(p.price)} (stock ${p.stock})`);
  return [
    `<b>${esc(title)}</b> (page ${page}/${totalPages})`,
    '',
    ...lines,
    '',
    'Send a product number or press its button.',
  ].join('\n');
}

export const bestSellers = (items: ProductSummary[]) =>
  [
    '<b>🔥 Best sellers</b>',
    '',
    ...items.map((p, i) => `${i + 1}. ${esc(p.name)} — ${p.soldCount} sold (stock ${p.stock})`),
  ].join('\n');

const BADGES = ['🥇', '🥈', '🥉'];
export const topBuyers = (items: { name: string; total: number; orders: number }[]) =>
  [
    '<b>🏆 Top Buyers</b>',
    '',
    ...items.map(
      (b, i) => `${BADGES[i] ?? `${i + 1}.`} ${esc(b.name)} — ${rp(b.total)} (${b.orders} orders)`,
    ),
  ].join('\n');

export function productDetail(p: ProductDetail, qty: number): string {
  const price = p.price !== p.originalPrice ? `<s>${rp(p.originalPrice)}</s> ${rp(p.price)}` : rp(p.price);
  return [
    `📦 <b>${esc(p.name)}</b>`,
    `💰 Price: ${price}`,
    `📊 Stock available: ${p.stock}`,
    `🔥 Sold: ${p.soldCount}`,
    `📝 ${esc(p.description)}`,
    '',
    `🔢 Quantity: <b>${qty}</b>`,
    `💵 Total: <b>${rp(p.price * qty)}</b>`,
  ].join('\n');
}

/** §2.4 with a picture: the detail as the photo's caption, within Telegram's caption limit. */
export const productCaption = (p: ProductDetail, qty: number): string => fitCaption(p, qty, productDetail);

export function checkoutSummary(q: CheckoutQuote): string {
  return [
    '🧾 <b>Order summary</b>',
    `📦 Product: ${esc(q.productName)}`,
    `💰 Unit price: ${rp(q.unitPrice)}`,
    `🔢 Quantity: ${q.quantity}`,
    `Subtotal: ${rp(q.subtotal)}`,
    ...(q.voucherDiscount > 0 ? [`🎟️ Voucher discount: -${rp(q.voucherDiscount)}`] : []),
    '',
    `Order total: ${rp(q.subtotal - q.voucherDiscount)}`,
    `Payment fee (QRIS): ${rp(q.qrisFee)}`,
    `Amount due (QRIS): <b>${rp(q.qrisTotal)}</b>`,
    `Pay with BALANCE: <b>${rp(q.balanceTotal)}</b> (no fee)`,
    ...(q.balanceTotal > 0 && q.balanceTotal < q.qrisMinimum
      ? ['', text.qrisBelowMinimum(q.qrisMinimum)]
      : []),
    '',
    'Choose a payment method:',
  ].join('\n');
}

export const saldoConfirm = (q: CheckoutQuote) =>
  [
    '💳 <b>Confirm payment with your balance</b>',
    `Total: ${rp(q.balanceTotal)}`,
    `Balance now: ${rp(q.balance)}`,
    `Balance after: ${rp(q.balance - q.balanceTotal)}`,
  ].join('\n');

const ROLE = { customer: 'Customer', reseller: 'Reseller', admin: 'Admin' } as const;
export const account = (u: User) =>
  [
    '👤 <b>Your account</b>',
    `ID: <code>${u.id}</code>`,
    `Name: ${esc(u.name)}`,
    `Username: ${u.username ? '@' + esc(u.username) : 'None'}`,
    `Email: ${orNone(u.email, 'None')}`,
    `WhatsApp: ${orNone(u.whatsapp, 'None')}`,
    `Balance: <b>${rp(u.balance)}</b>`,
    `Bank ID: <code>${u.bankId}</code>`,
    `Status: ${u.isAdmin ? ROLE.admin : ROLE[u.role]}`,
  ].join('\n');

const STATUS = {
  pending: 'pending',
  paid: 'paid',
  expired: 'expired',
  cancelled: 'cancelled',
  failed: 'failed',
  payment_unknown: 'checked by the admin',
} as const;
export function history(items: Order[], page: number, totalPages: number): string {
  if (items.length === 0) return '📜 No transactions yet.';
  const lines = items.map((o) => {
    const what = o.kind === 'deposit' ? 'Deposit' : `${esc(o.productName ?? '')} x${o.quantity}`;
    return `🧾 <code>${o.invoiceId}</code>\n   ${wibDate(o.createdAt)} • ${what} • ${rp(o.total)} • ${STATUS[o.status]}`;
  });
  return [`📜 <b>Transaction history</b> (page ${page}/${totalPages})`, '', ...lines].join('\n');
}

export const stockList = (items: ProductSummary[]) =>
  items.length === 0
    ? '📦 All products are out of stock.'
    : ['📦 <b>Product stock</b>', '', ...items.map((p) => `${p.id}. ${esc(p.name)} — stock ${p.stock}`)].join(
        '\n',
      );

export const refundEstimate = (r: RefundEstimate) =>
  [
    `💸 <b>Refund estimate ${r.invoiceId}</b>`,
    `Purchase price: ${rp(r.purchasePrice)}`,
    `Days used: ${r.daysUsed} of ${r.baseDays}`,
    `Warranty claims: ${r.claims}`,
    `Multiplier: ${r.multiplier}`,
    `Formula: ${rp(r.purchasePrice)} × (${r.baseDays} − ${r.daysUsed}) / ${r.baseDays} × ${r.multiplier}`,
    `Estimated refund: <b>${rp(r.refund)}</b>`,
    '',
    'This is only an estimate; refunds are paid by the admin.',
  ].join('\n');

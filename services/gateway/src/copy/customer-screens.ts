/**
 * The customer's screens: the longer texts laid out from typed data (menus, lists, a product, the
 * checkout summary, the account). Part of the customer copy (customer.ts holds the sentences and the
 * header on languages); handlers decide which to show, these only format.
 */
import type { ProductDetail, ProductSummary } from '@quickcart/catalog/contract';
import type { CheckoutQuote, Order, RefundEstimate, User } from '@quickcart/orders/contract';
import { esc, orNone, rp, wibDate } from '../format';
import { fitCaption } from './product-caption';
import { text } from './customer';

export function mainMenu(a: {
  name: string;
  storeName: string;
  totalUsers: number;
  totalTransactions: number;
  docsUrl: string;
}): string {
  return [
    `ᯓ Halo <b>${esc(a.name)}</b> 👋🏻`,
    `Selamat datang di <b>${esc(a.storeName)}</b>`,
    '',
    `⤷ <b>Total Pengguna: ${a.totalUsers} Orang</b>`,
    `⤷ <b>Total Transaksi: ${a.totalTransactions}x</b>`,
    '',
    `Dokumentasi: <a href="${esc(a.docsUrl)}">Baca Disini</a>`,
    'Silakan tombol dibawah ini untuk melihat produk yang tersedia.',
  ].join('\n');
}

export function productList(
  title: string,
  items: ProductSummary[],
  page: number,
  totalPages: number,
): string {
  const lines = items.map((p) => `${p.id}. ${esc(p.name)} — ${rp(p.price)} (stok ${p.stock})`);
  return [
    `<b>${esc(title)}</b> (halaman ${page}/${totalPages})`,
    '',
    ...lines,
    '',
    'Kirim nomor produk atau tekan tombolnya.',
  ].join('\n');
}

export const bestSellers = (items: ProductSummary[]) =>
  [
    '<b>🔥 Produk Terlaris</b>',
    '',
    ...items.map((p, i) => `${i + 1}. ${esc(p.name)} — terjual ${p.soldCount} (stok ${p.stock})`),
  ].join('\n');

const BADGES = ['🥇', '🥈', '🥉'];
export const topBuyers = (items: { name: string; total: number; orders: number }[]) =>
  [
    '<b>🏆 Top Buyers</b>',
    '',
    ...items.map(
      (b, i) => `${BADGES[i] ?? `${i + 1}.`} ${esc(b.name)} — ${rp(b.total)} (${b.orders} pesanan)`,
    ),
  ].join('\n');

export function productDetail(p: ProductDetail, qty: number): string {
  const price = p.price !== p.originalPrice ? `<s>${rp(p.originalPrice)}</s> ${rp(p.price)}` : rp(p.price);
  return [
    `📦 <b>${esc(p.name)}</b>`,
    `💰 Harga: ${price}`,
    `📊 Stok tersedia: ${p.stock}`,
    `🔥 Terjual: ${p.soldCount}`,
    `📝 ${esc(p.description)}`,
    '',
    `🔢 Jumlah: <b>${qty}</b>`,
    `💵 Total: <b>${rp(p.price * qty)}</b>`,
  ].join('\n');
}

/** §2.4 with a picture: the detail as the photo's caption, within Telegram's caption limit. */
export const productCaption = (p: ProductDetail, qty: number): string => fitCaption(p, qty, productDetail);

/** §2.5: "Total pesanan / Biaya pembayaran / Total tagihan". */
export function checkoutSummary(q: CheckoutQuote): string {
  return [
    '🧾 <b>Ringkasan Pesanan</b>',
    `📦 Produk: ${esc(q.productName)}`,
    `💰 Harga satuan: ${rp(q.unitPrice)}`,
    `🔢 Jumlah: ${q.quantity}`,
    `Subtotal: ${rp(q.subtotal)}`,
    ...(q.voucherDiscount > 0 ? [`🎟️ Diskon voucher: -${rp(q.voucherDiscount)}`] : []),
    '',
    `Total pesanan: ${rp(q.subtotal - q.voucherDiscount)}`,
    `Biaya pembayaran (QRIS): ${rp(q.qrisFee)}`,
    `Total tagihan (QRIS): <b>${rp(q.qrisTotal)}</b>`,
    `Bayar dengan SALDO: <b>${rp(q.balanceTotal)}</b> (tanpa biaya)`,
    ...(q.balanceTotal > 0 && q.balanceTotal < q.qrisMinimum
      ? ['', text.qrisBelowMinimum(q.qrisMinimum)]
      : []),
    '',
    'Pilih metode pembayaran:',
  ].join('\n');
}

export const saldoConfirm = (q: CheckoutQuote) =>
  [
    '💳 <b>Konfirmasi pembayaran dengan saldo</b>',
    `Total: ${rp(q.balanceTotal)}`,
    `Saldo sekarang: ${rp(q.balance)}`,
    `Saldo setelah: ${rp(q.balance - q.balanceTotal)}`,
  ].join('\n');

const ROLE = { customer: 'Customer', reseller: 'Reseller', admin: 'Admin' } as const;
export const account = (u: User) =>
  [
    '👤 <b>Akun Anda</b>',
    `ID: <code>${u.id}</code>`,
    `Nama: ${esc(u.name)}`,
    `Username: ${u.username ? '@' + esc(u.username) : 'Tidak ada'}`,
    `Email: ${orNone(u.email, 'Tidak ada')}`,
    `WhatsApp: ${orNone(u.whatsapp, 'Tidak ada')}`,
    `Saldo: <b>${rp(u.balance)}</b>`,
    `Bank ID: <code>${u.bankId}</code>`,
    `Status: ${u.isAdmin ? ROLE.admin : ROLE[u.role]}`,
  ].join('\n');

const STATUS = {
  pending: 'pending',
  paid: 'paid',
  expired: 'expired',
  cancelled: 'cancelled',
  failed: 'failed',
  payment_unknown: 'dicek admin',
} as const;
export function history(items: Order[], page: number, totalPages: number): string {
  if (items.length === 0) return '📜 Belum ada transaksi.';
  const lines = items.map((o) => {
    const what = o.kind === 'deposit' ? 'Deposit' : `${esc(o.productName ?? '')} x${o.quantity}`;
    return `🧾 <code>${o.invoiceId}</code>\n   ${wibDate(o.createdAt)} • ${what} • ${rp(o.total)} • ${STATUS[o.status]}`;
  });
  return [`📜 <b>Riwayat Transaksi</b> (halaman ${page}/${totalPages})`, '', ...lines].join('\n');
}

export const stockList = (items: ProductSummary[]) =>
  items.length === 0
    ? '📦 Semua produk sedang habis.'
    : ['📦 <b>Stok Produk</b>', '', ...items.map((p) => `${p.id}. ${esc(p.name)} — stok ${p.stock}`)].join(
        '\n',
      );

export const refundEstimate = (r: RefundEstimate) =>
  [
    `💸 <b>Perkiraan refund ${r.invoiceId}</b>`,
    `Harga beli: ${rp(r.purchasePrice)}`,
    `Hari terpakai: ${r.daysUsed} dari ${r.baseDays}`,
    `Klaim garansi: ${r.claims}`,
    `Pengali: ${r.multiplier}`,
    `Rumus: ${rp(r.purchasePrice)} × (${r.baseDays} − ${r.daysUsed}) / ${r.baseDays} × ${r.multiplier}`,
    `Perkiraan refund: <b>${rp(r.refund)}</b>`,
    '',
    'Ini hanya perkiraan; refund dibayarkan oleh admin.',
  ].join('\n');

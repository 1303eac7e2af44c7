import { Markup } from 'telegraf';
import type { InlineKeyboardButton, InlineKeyboardMarkup, ReplyKeyboardMarkup } from 'telegraf/types';
import { encode, fitsCallback, type Action } from './callback-data';
import { rp } from './format';

type Button = InlineKeyboardButton;
export const btn = (text: string, action: Action): Button => Markup.button.callback(text, encode(action));
export type InlineExtra = { reply_markup: InlineKeyboardMarkup };
export type ReplyExtra = { reply_markup: ReplyKeyboardMarkup };
export const inline = (rows: Button[][]): InlineExtra =>
  Markup.inlineKeyboard(rows.filter((r) => r.length > 0));

/** FEATURES.md §2.2: the reply keyboard, with the ids of products in stock (at most 24, eight a row). */
export function replyKeyboard(productIdsInStock: number[]): ReplyExtra {
  const ids = productIdsInStock.slice(0, 24).map(String);
  const rows = [
    ['LIST PRODUK', 'STOK'],
    ['AKUN', 'KIRIM PESAN'],
  ];
  for (let i = 0; i < ids.length; i += 8) rows.push(ids.slice(i, i + 8));
  return Markup.keyboard(rows).resize();
}

export const mainMenuButtons = () =>
  inline([
    [
      btn('Kategori', { kind: 'categories' }),
      btn('Terlaris', { kind: 'best' }),
      btn('Semua Produk', { kind: 'all', page: 1 }),
    ],
  ]);

/** §2.3: [⬅️ Sebelumnya] after the first page, [➡️ Selanjutnya n/total] before the last, [Kembali]. */
export function pager(
  page: number,
  totalPages: number,
  to: (page: number) => Action,
  back: Action = { kind: 'menu' },
): Button[][] {
  const nav: Button[] = [];
  if (page > 1) nav.push(btn('⬅️ Sebelumnya', to(page - 1)));
  if (page < totalPages) nav.push(btn(`➡️ Selanjutnya ${page + 1}/${totalPages}`, to(page + 1)));
  return [nav, [btn('Kembali', back)]];
}

export function productButtons(products: { id: number; name: string }[]): Button[][] {
  return products.map((p) => [btn(`${p.id}. ${p.name}`, { kind: 'product', productId: p.id })]);
}

export function categoryButtons(categories: { name: string; productCount: number }[]): Button[][] {
  const rows = categories
    .map((c) => ({ c, action: { kind: 'category', name: c.name, page: 1 } as const }))
    .filter(({ action }) => fitsCallback(action))
    .map(({ c, action }) => [btn(`${c.name} (${c.productCount})`, action)]);
  return [...rows, [btn('Kembali', { kind: 'menu' })]];
}

/** §2.4: quantity buttons; the quantity travels in the data, so an old message's buttons still work. */
export function quantityKeyboard(productId: number, qty: number) {
  const to = (n: number) => ({ kind: 'qty', productId, qty: Math.max(1, n) }) as const;
  return inline([
    [
      btn('-', to(qty - 1)),
      btn('+', to(qty + 1)),
      btn('+2', to(qty + 2)),
      btn('+5', to(qty + 5)),
      btn('+10', to(qty + 10)),
    ],
    [btn('Lanjut ke pembayaran', { kind: 'summary', productId, qty })],
    [btn('Batalkan', { kind: 'cancelFlow' })],
  ]);
}

export function summaryKeyboard(productId: number, qty: number) {
  return inline([
    [btn('Gunakan Voucher', { kind: 'voucher', productId, qty })],
    [btn('QRIS', { kind: 'payQris', productId, qty }), btn('SALDO', { kind: 'askSaldo', productId, qty })],
    [btn('KEMBALI', { kind: 'product', productId }), btn('BATALKAN', { kind: 'cancelFlow' })],
  ]);
}

export const saldoConfirmKeyboard = (productId: number, qty: number) =>
  inline([
    [btn('Konfirmasi', { kind: 'paySaldo', productId, qty }), btn('Batalkan', { kind: 'cancelFlow' })],
  ]);

export const qrisKeyboard = (invoiceId: string, checkoutUrl: string) =>
  inline([
    [Markup.button.url('Checkout Page', checkoutUrl)],
    [btn('Status Pembayaran', { kind: 'payStatus', invoiceId })],
    [btn('Batalkan', { kind: 'cancelInvoice', invoiceId })],
  ]);

export const backKeyboard = () => inline([[btn('Kembali', { kind: 'menu' })]]);

export const accountKeyboard = () =>
  inline([
    [
      btn('Ubah Nama', { kind: 'edit', field: 'name' }),
      btn('Ubah Email', { kind: 'edit', field: 'email' }),
      btn('Ubah Whatsapp', { kind: 'edit', field: 'whatsapp' }),
    ],
    [btn('Riwayat Transaksi', { kind: 'history', page: 1 }), btn('Deposit', { kind: 'deposit' })],
  ]);

export const DEPOSIT_QUICK_AMOUNTS = [10_000, 25_000, 50_000, 100_000, 250_000, 500_000];
export const depositKeyboard = () =>
  inline([
    ...[0, 3].map((i) =>
      DEPOSIT_QUICK_AMOUNTS.slice(i, i + 3).map((amount) =>
        btn(rp(amount).replace('Rp', 'Rp '), { kind: 'depositAmount', amount }),
      ),
    ),
    [btn('Jumlah Lain', { kind: 'depositOther' })],
    [btn('Kembali', { kind: 'account' })],
  ]);

export const skipKeyboard = () => inline([[btn('Lewati', { kind: 'skip' })]]);

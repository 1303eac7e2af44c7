import { Markup } from 'telegraf';
import type { InlineKeyboardButton, InlineKeyboardMarkup, ReplyKeyboardMarkup } from 'telegraf/types';
import { encode, fitsCallback, type Action } from './callback-data';
import { copyIn, type Language } from './copy/languages';

const labels = (language: Language) => copyIn(language).buttons;

type Button = InlineKeyboardButton;
export const btn = (text: string, action: Action): Button => Markup.button.callback(text, encode(action));
export type InlineExtra = { reply_markup: InlineKeyboardMarkup };
export type ReplyExtra = { reply_markup: ReplyKeyboardMarkup };
export const inline = (rows: Button[][]): InlineExtra =>
  Markup.inlineKeyboard(rows.filter((r) => r.length > 0));

/** docs/features.md §2.2: the reply keyboard, with the ids of products in stock (at most 24, eight a row). */
export function replyKeyboard(language: Language, productIdsInStock: number[]): ReplyExtra {
  const b = labels(language);
  const ids = productIdsInStock.slice(0, 24).map(String);
  const rows = [
    [b.listProducts, b.stock],
    [b.account, b.contact],
  ];
  for (let i = 0; i < ids.length; i += 8) rows.push(ids.slice(i, i + 8));
  return Markup.keyboard(rows).resize();
}

export function mainMenuButtons(language: Language) {
  const b = labels(language);
  return inline([
    [
      btn(b.categories, { kind: 'categories' }),
      btn(b.bestSellers, { kind: 'best' }),
      btn(b.allProducts, { kind: 'all', page: 1 }),
    ],
  ]);
}

/** §2.3: [⬅️ Sebelumnya] after the first page, [➡️ Selanjutnya n/total] before the last, [Kembali]. */
export function pager(
  language: Language,
  page: number,
  totalPages: number,
  to: (page: number) => Action,
  back: Action = { kind: 'menu' },
): Button[][] {
  const b = labels(language);
  const nav: Button[] = [];
  if (page > 1) nav.push(btn(b.previous, to(page - 1)));
  if (page < totalPages) nav.push(btn(b.next(page + 1, totalPages), to(page + 1)));
  return [nav, [btn(b.back, back)]];
}

export function productButtons(language: Language, products: { id: number; name: string }[]): Button[][] {
  return products.map((p) => [btn(labels(language).product(p), { kind: 'product', productId: p.id })]);
}

export function categoryButtons(
  language: Language,
  categories: { name: string; productCount: number }[],
): Button[][] {
  const b = labels(language);
  const rows = categories
    .map((c) => ({ c, action: { kind: 'category', name: c.name, page: 1 } as const }))
    .filter(({ action }) => fitsCallback(action))
    .map(({ c, action }) => [btn(b.category(c), action)]);
  return [...rows, [btn(b.back, { kind: 'menu' })]];
}

/** §2.4: quantity buttons; the quantity travels in the data, so an old message's buttons still work. */
export function quantityKeyboard(language: Language, productId: number, qty: number) {
  const b = labels(language);
  const to = (n: number) => ({ kind: 'qty', productId, qty: Math.max(1, n) }) as const;
  return inline([
    [
      btn('-', to(qty - 1)),
      btn('+', to(qty + 1)),
      btn('+2', to(qty + 2)),
      btn('+5', to(qty + 5)),
      btn('+10', to(qty + 10)),
    ],
    [btn(b.toPayment, { kind: 'summary', productId, qty })],
    [btn(b.cancel, { kind: 'cancelFlow' })],
  ]);
}

export function summaryKeyboard(language: Language, productId: number, qty: number) {
  const b = labels(language);
  return inline([
    [btn(b.useVoucher, { kind: 'voucher', productId, qty })],
    [btn(b.qris, { kind: 'payQris', productId, qty }), btn(b.saldo, { kind: 'askSaldo', productId, qty })],
    [btn(b.backUpper, { kind: 'product', productId }), btn(b.cancelUpper, { kind: 'cancelFlow' })],
  ]);
}

export function saldoConfirmKeyboard(language: Language, productId: number, qty: number) {
  const b = labels(language);
  return inline([
    [btn(b.confirm, { kind: 'paySaldo', productId, qty }), btn(b.cancel, { kind: 'cancelFlow' })],
  ]);
}

/**
 * The QR's buttons: Pakasir's QRIS page and, beside it, the same invoice's page with its other methods
 * (docs/features.md §6.1); the status check; the cancel.
 */
export function qrisKeyboard(
  language: Language,
  invoiceId: string,
  checkoutUrl: string,
  otherMethodsUrl?: string,
) {
  const b = labels(language);
  const pages = [Markup.button.url(b.checkoutPage, checkoutUrl)];
  if (otherMethodsUrl) pages.push(Markup.button.url(b.otherMethods, otherMethodsUrl));
  return inline([
    pages,
    [btn(b.paymentStatus, { kind: 'payStatus', invoiceId })],
    [btn(b.cancel, { kind: 'cancelInvoice', invoiceId })],
  ]);
}

export const backKeyboard = (language: Language) => inline([[btn(labels(language).back, { kind: 'menu' })]]);

export function accountKeyboard(language: Language) {
  const b = labels(language);
  return inline([
    [
      btn(b.editName, { kind: 'edit', field: 'name' }),
      btn(b.editEmail, { kind: 'edit', field: 'email' }),
      btn(b.editWhatsapp, { kind: 'edit', field: 'whatsapp' }),
    ],
    [btn(b.history, { kind: 'history', page: 1 }), btn(b.deposit, { kind: 'deposit' })],
    [btn(b.language, { kind: 'language' })],
  ]);
}

/** The account menu's language choice (docs/features.md §8.1): each language named in itself. */
export function languageKeyboard(language: Language) {
  const b = labels(language);
  return inline([
    [btn(b.languageId, { kind: 'setLanguage', language: 'id' })],
    [btn(b.languageEn, { kind: 'setLanguage', language: 'en' })],
    [btn(b.back, { kind: 'account' })],
  ]);
}

export const DEPOSIT_QUICK_AMOUNTS = [10_000, 25_000, 50_000, 100_000, 250_000, 500_000];
export function depositKeyboard(language: Language) {
  const b = labels(language);
  return inline([
    ...[0, 3].map((i) =>
      DEPOSIT_QUICK_AMOUNTS.slice(i, i + 3).map((amount) =>
        btn(b.depositAmount(amount), { kind: 'depositAmount', amount }),
      ),
    ),
    [btn(b.depositOther, { kind: 'depositOther' })],
    [btn(b.back, { kind: 'account' })],
  ]);
}

export const skipKeyboard = (language: Language) => inline([[btn(labels(language).skip, { kind: 'skip' })]]);

/** Under a warranty claim sent to admins (docs/features.md §2.9.1): the three ways to resolve it. */
export function warrantyDecisionKeyboard(language: Language, claimId: string) {
  const t = copyIn(language).adminText;
  return inline([
    [
      btn(t.warrantyReplaceButton, { kind: 'warrantyReplace', claimId }),
      btn(t.warrantyRefundButton, { kind: 'warrantyRefund', claimId }),
      btn(t.warrantyRejectButton, { kind: 'warrantyReject', claimId }),
    ],
  ]);
}

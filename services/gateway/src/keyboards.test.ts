import { decode } from './callback-data';
import { pager, quantityKeyboard, replyKeyboard, summaryKeyboard } from './keyboards';

const labels = (rows: { text: string }[][]) => rows.map((r) => r.map((b) => b.text));
const data = (rows: { text: string }[][]) =>
  rows.map((r) => r.map((b) => ('callback_data' in b ? decode(String(b.callback_data)) : undefined)));

describe('reply keyboard', () => {
  it('has the four fixed buttons and the product numbers, eight a row, at most 24', () => {
    const ids = Array.from({ length: 30 }, (_, i) => i + 1);
    const rows = replyKeyboard('id', ids).reply_markup.keyboard.map((r) =>
      r.map((b) => (typeof b === 'string' ? b : b.text)),
    );
    expect(rows[0]).toEqual(['LIST PRODUK', 'STOK']);
    expect(rows[1]).toEqual(['AKUN', 'KIRIM PESAN']);
    expect(rows.slice(2)).toEqual([
      ['1', '2', '3', '4', '5', '6', '7', '8'],
      ['9', '10', '11', '12', '13', '14', '15', '16'],
      ['17', '18', '19', '20', '21', '22', '23', '24'],
    ]);
  });

  it('has no number rows when nothing is in stock', () => {
    expect(replyKeyboard('id', []).reply_markup.keyboard).toHaveLength(2);
  });
});

describe('reply keyboard in English', () => {
  it('names the fixed buttons in English, with the same product numbers', () => {
    const rows = replyKeyboard('en', [1, 2]).reply_markup.keyboard.map((r) =>
      r.map((b) => (typeof b === 'string' ? b : b.text)),
    );
    expect(rows).toEqual([
      ['PRODUCTS', 'STOCK'],
      ['ACCOUNT', 'SEND MESSAGE'],
      ['1', '2'],
    ]);
  });
});

describe('pagination', () => {
  const to = (page: number) => ({ kind: 'all', page }) as const;

  it('shows only Selanjutnya on the first page', () => {
    expect(labels(pager('id', 1, 3, to))).toEqual([['➡️ Selanjutnya 2/3'], ['Kembali']]);
  });

  it('shows both in the middle, pointing at the right pages', () => {
    const rows = pager('id', 2, 3, to);
    expect(labels(rows)).toEqual([['⬅️ Sebelumnya', '➡️ Selanjutnya 3/3'], ['Kembali']]);
    expect(data(rows)[0]).toEqual([
      { kind: 'all', page: 1 },
      { kind: 'all', page: 3 },
    ]);
  });

  it('shows only Sebelumnya on the last page, and only Kembali on a single page', () => {
    expect(labels(pager('id', 3, 3, to))).toEqual([['⬅️ Sebelumnya'], ['Kembali']]);
    expect(labels(pager('id', 1, 1, to))).toEqual([[], ['Kembali']]);
  });
});

describe('quantity keyboard', () => {
  it('carries the product and the next quantity in each button, never below 1', () => {
    const rows = quantityKeyboard('id', 101, 1).reply_markup.inline_keyboard;
    expect(labels(rows)).toEqual([['-', '+', '+2', '+5', '+10'], ['Lanjut ke pembayaran'], ['Batalkan']]);
    expect(data(rows)[0].map((a) => a && 'qty' in a && a.qty)).toEqual([1, 2, 3, 6, 11]);
    expect(data(rows)[1]).toEqual([{ kind: 'summary', productId: 101, qty: 1 }]);
  });

  it('offers QRIS and SALDO at checkout with the spec labels', () => {
    expect(labels(summaryKeyboard('id', 7, 3).reply_markup.inline_keyboard)).toEqual([
      ['Gunakan Voucher'],
      ['QRIS', 'SALDO'],
      ['KEMBALI', 'BATALKAN'],
    ]);
  });
});

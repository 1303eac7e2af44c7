import { notices, text } from './customer';
import { checkoutSummary, mainMenu, productCaption, productDetail, topBuyers } from './customer-screens';
import { CAPTION_LIMIT, visibleLength } from '../telegram-limits';
import type { NotifyMessage } from '@quickcart/notify';
import { render as renderIn } from '../notify/render';
import { wib } from '../format';

/** The Indonesian screens; languages.test.ts holds the two languages to the same keys. */
const render = (m: NotifyMessage) => renderIn(m, 'id');

describe('message rendering', () => {
  it('renders the main menu with the store figures and escapes the name', () => {
    const html = mainMenu({
      name: 'Budi <b>',
      storeName: 'Toko',
      totalUsers: 12,
      totalTransactions: 34,
      docsUrl: 'https://d.example',
    });
    expect(html).toContain('ᯓ Halo <b>Budi &lt;b&gt;</b> 👋🏻');
    expect(html).toContain('⤷ <b>Total Pengguna: 12 Orang</b>');
    expect(html).toContain('⤷ <b>Total Transaksi: 34x</b>');
    expect(html).toContain('<a href="https://d.example">Baca Disini</a>');
  });

  const product = {
    id: 1,
    name: 'Netflix',
    category: 'S',
    price: 45_000,
    originalPrice: 50_000,
    stock: 3,
    soldCount: 9,
    description: 'Akun',
    customerPrice: 50_000,
    resellerPrice: null,
    discount: null,
    categoryDiscount: null,
    reservedStock: 0,
    isActive: true,
    imageFileId: null,
  };

  it('strikes through the original price when a discount applies', () => {
    const p = {
      id: 1,
      name: 'Netflix',
      category: 'S',
      price: 45_000,
      originalPrice: 50_000,
      stock: 3,
      soldCount: 9,
      description: 'Akun',
      customerPrice: 50_000,
      resellerPrice: null,
      discount: null,
      categoryDiscount: null,
      reservedStock: 0,
      isActive: true,
      imageFileId: null,
    };
    const html = productDetail(p, 2);
    expect(html).toContain('<s>Rp50.000</s> Rp45.000');
    expect(html).toContain('Jumlah: <b>2</b>');
    expect(html).toContain('Total: <b>Rp90.000</b>');
  });

  it("a pictured product's caption is the whole detail when it fits Telegram's 1,024", () => {
    expect(productCaption({ ...product, imageFileId: 'f' }, 2)).toBe(productDetail(product, 2));
  });

  it('cuts a long description (escaped characters counted as shown) to fit the caption', () => {
    const long = { ...product, description: '<&> '.repeat(400) };
    const caption = productCaption(long, 1);
    expect(visibleLength(caption)).toBeLessThanOrEqual(CAPTION_LIMIT);
    expect(visibleLength(caption)).toBeGreaterThan(CAPTION_LIMIT - 10);
    expect(caption).toMatch(/…\n\n🔢 Jumlah: <b>1<\/b>\n💵 Total: <b>Rp45\.000<\/b>$/);
  });

  it('shows the QRIS fee example of the spec: Rp30.000 → fee Rp520 → Rp30.520', () => {
    const html = checkoutSummary({
      productId: 1,
      productName: 'X',
      unitPrice: 30_000,
      quantity: 1,
      subtotal: 30_000,
      voucherDiscount: 0,
      qrisFee: 520,
      qrisTotal: 30_520,
      balanceTotal: 30_000,
      balance: 0,
      qrisMinimum: 500,
    });
    expect(html).not.toContain('minimal');
    expect(html).toContain('Total pesanan: Rp30.000');
    expect(html).toContain('Biaya pembayaran (QRIS): Rp520');
    expect(html).toContain('Total tagihan (QRIS): <b>Rp30.520</b>');
  });

  it('says QRIS needs Rp500 when less is left to pay, and offers SALDO', () => {
    const html = checkoutSummary({
      productId: 1,
      productName: 'X',
      unitPrice: 5_400,
      quantity: 1,
      subtotal: 5_400,
      voucherDiscount: 5_000,
      qrisFee: 313,
      qrisTotal: 713,
      balanceTotal: 400,
      balance: 0,
      qrisMinimum: 500,
    });
    expect(html).toContain(
      'Pembayaran QRIS minimal Rp500. Total ini bisa dibayar dengan SALDO (tanpa biaya).',
    );
  });

  it('gives Top Buyers medals, then numbers, and no ids', () => {
    const html = topBuyers([1, 2, 3, 4].map((i) => ({ name: `B${i}`, total: 1000 * i, orders: i })));
    expect(html.split('\n').slice(2)).toEqual([
      '🥇 B1 — Rp1.000 (1 pesanan)',
      '🥈 B2 — Rp2.000 (2 pesanan)',
      '🥉 B3 — Rp3.000 (3 pesanan)',
      '4. B4 — Rp4.000 (4 pesanan)',
    ]);
  });

  it('renders a delivery as the success message then the goods, as a file when long', () => {
    const short = render({
      template: 'purchase.delivered',
      data: { invoiceId: 'INV1', productName: 'Netflix', quantity: 2, items: ['a:1', 'b:2'] },
    });
    expect(short.map((o) => o.kind)).toEqual(['text', 'text']);
    expect(short[0].kind === 'text' && short[0].html).toBe(
      '🎉 Pesanan berhasil!\n📦 Produk: Netflix\n🔢 Jumlah: 2\n🧾 Invoice: INV1\nTerima kasih telah berbelanja! Silakan cek detail produk di bawah ini. 😊',
    );
    const long = render({
      template: 'purchase.delivered',
      data: {
        invoiceId: 'INV2',
        productName: 'X',
        quantity: 500,
        items: Array(500).fill('user@example.com:password123'),
      },
    });
    expect(long[1]).toMatchObject({ kind: 'document', filename: 'INV2.txt' });
  });

  it('gives the goods a placeholder that names the invoice and says to ignore it if left behind', () => {
    const data = { invoiceId: 'INV4', productName: 'X', quantity: 1 };
    const [success, short] = render({ template: 'purchase.delivered', data: { ...data, items: ['a:1'] } });
    const long = render({
      template: 'purchase.delivered',
      data: { ...data, items: Array(500).fill('user@example.com:password123') },
    })[1];
    expect(success).not.toHaveProperty('placeholder'); // the success note may repeat (docs/delivery.md)
    for (const goods of [short, long]) {
      expect(goods).toMatchObject({ placeholder: expect.stringContaining('⏳ Menyiapkan pesanan INV4…') });
      expect(goods).toMatchObject({ placeholder: expect.stringContaining('abaikan pesan ini') });
    }
  });

  it('renders the expiry message with only a back button', () => {
    const [out] = render({ template: 'invoice.expired', data: { invoiceId: 'INV3' } });
    expect(out.kind === 'text' && out.html).toMatch(/^Invoice expired\. Pembayaran tidak diterima lagi/);
    expect(
      out.kind === 'text' && out.extra?.reply_markup.inline_keyboard.map((r) => r.map((b) => b.text)),
    ).toEqual([['Kembali']]);
  });

  it('shows expiry times in WIB', () => {
    expect(wib('2026-11-25T03:10:00Z')).toBe('10:10 WIB');
  });

  it('words the limits from the contract exactly as the customer has always read them', () => {
    expect(text.depositAskAmount).toBe(
      '💰 Ketik jumlah deposit (minimal Rp10.000, maksimal Rp10.000.000). Contoh: 50000',
    );
    expect(text.depositBadAmount).toBe(
      '❌ Jumlah deposit harus angka antara Rp10.000 dan Rp10.000.000. Contoh: 50000',
    );
    expect(text.askWhatsapp).toBe(
      '📱 Nomor WhatsApp Anda? (8–15 digit, boleh diawali + atau 0)\n(Tekan "Lewati" atau ketik /skip untuk melewati)',
    );
    expect(text.badWhatsapp).toBe(
      '❌ Nomor WhatsApp harus 8–15 digit, boleh diawali + atau 0. Contoh: 081234567890. Silakan kirim lagi.',
    );
    expect(text.badName).toBe('❌ Nama tidak boleh kosong dan maksimal 64 karakter. Silakan kirim lagi.');
    expect(text.voucherCooldown).toBe(
      'Anda baru saja menggunakan voucher. Tunggu 5 menit untuk menggunakan voucher lagi.',
    );
  });
});

describe('the QR caption', () => {
  const data = {
    kind: 'deposit' as const,
    invoiceId: 'INV261201ABCDEF',
    totalPayment: 30_520,
    fee: 520,
    expiresAt: '2026-12-01T10:00:00.000Z',
  };

  it('asks for a QRIS app when the QR is Pakasir’s QRIS string', () => {
    expect(notices.qrisCaption(data)).toContain('aplikasi e-wallet atau m-banking yang mendukung QRIS');
  });

  it('sends the customer to the checkout page, with no QR to scan, when the QRIS string was lost', () => {
    const caption = notices.qrisCaption({ ...data, hostedPageOnly: true });
    expect(caption).toContain('tidak dapat ditampilkan di sini. Tekan tombol Checkout Page');
    expect(caption).not.toMatch(/scan/i);
  });

  it('names the other methods, and that their fee is theirs, only when their page is offered', () => {
    expect(notices.qrisCaption(data)).not.toContain('Metode lain');
    expect(
      notices.qrisCaption({ ...data, otherMethodsUrl: 'https://app.pakasir.com/pay/p/30000' }),
    ).toContain(
      '🏦 Metode lain: virtual account bank dan metode lain di halaman Pakasir, dengan biaya metode itu.',
    );
  });
});

describe('the receipt', () => {
  const d = { productName: 'Spotify', quantity: 1, invoiceId: 'INV261201ABCDEF' };

  it('names the method Pakasir confirmed and its fee, and says nothing of it for a balance order', () => {
    expect(notices.receipt({ ...d, paidVia: { name: 'BNI Virtual Account', fee: 3_500 } }, 'x')).toContain(
      '💳 Dibayar dengan BNI Virtual Account (biaya Rp3.500)',
    );
    expect(notices.receipt({ ...d, paidVia: { name: 'ovo', fee: null } }, 'x')).toContain(
      '💳 Dibayar dengan ovo\n',
    );
    expect(notices.receipt(d, 'x')).not.toContain('Dibayar dengan');
  });

  it('is named in the deposit notice and in goods sent as new messages too', () => {
    const bni = { name: 'BNI Virtual Account', fee: 3_500 };
    expect(notices.depositCredited(50_000, bni)).toBe(
      '💰 Deposit berhasil!\nSaldo Anda telah bertambah sebesar Rp50.000 (setelah fee).\n' +
        '💳 Dibayar dengan BNI Virtual Account (biaya Rp3.500)\nSilakan cek saldo di menu [Akun]. 🎯',
    );
    expect(notices.depositCredited(50_000)).not.toContain('Dibayar dengan');
    expect(notices.delivered({ ...d, paidVia: bni })).toContain('💳 Dibayar dengan BNI Virtual Account');
  });
});

describe('the QR message', () => {
  const data = {
    kind: 'purchase' as const,
    invoiceId: 'INV261201ABCDEF',
    totalPayment: 30_520,
    fee: 520,
    expiresAt: '2026-12-01T10:00:00.000Z',
    checkoutUrl: 'https://app.pakasir.com/pay/toko/30000?order_id=INV261201ABCDEF&qris_only=1',
  };
  const keyboard = (m: NotifyMessage) =>
    (render(m)[0] as { extra?: { reply_markup: { inline_keyboard: { text: string; url?: string }[][] } } })
      .extra!.reply_markup.inline_keyboard;

  it('puts "🏦 Metode lain", the same invoice on Pakasir’s page without qris_only, beside the checkout page', () => {
    const other = 'https://app.pakasir.com/pay/toko/30000?order_id=INV261201ABCDEF';
    const rows = keyboard({
      template: 'payment.qris',
      data: { ...data, otherMethodsUrl: other },
      qrPngBase64: 'AA==',
    });
    expect(rows[0]).toEqual([
      expect.objectContaining({ text: 'Checkout Page', url: data.checkoutUrl }),
      expect.objectContaining({ text: '🏦 Metode lain', url: other }),
    ]);
    expect(rows.slice(1).map((r) => r.map((b) => b.text))).toEqual([['Status Pembayaran'], ['Batalkan']]);
  });

  it('offers no other methods for a run that did not give their page', () => {
    const rows = keyboard({ template: 'payment.qris', data, qrPngBase64: 'AA==' });
    expect(rows[0]).toEqual([expect.objectContaining({ text: 'Checkout Page', url: data.checkoutUrl })]);
  });
});

import { decodeQr, newUserId, payInSandbox, startBotSystem, type BotSystem } from './bot-system';

type Msg = {
  id: number;
  from: 'bot' | 'user';
  text?: string;
  caption?: string;
  photo?: { bytes: Buffer };
  sticker?: string;
  inlineKeyboard?: { text: string }[][];
};
const says = (pattern: string | RegExp) => (m: Msg) =>
  typeof pattern === 'string'
    ? (m.text ?? m.caption ?? '').includes(pattern)
    : pattern.test(m.text ?? m.caption ?? '');
const buttons = (m: Msg) => (m.inlineKeyboard ?? []).map((r) => r.map((b) => b.text));

const invoiceIn = (m: Msg) => /INV\d{6}[A-Z0-9]{6}/.exec(m.text ?? m.caption ?? '')![0];

describe('the bot, end to end (10-minute payment window)', () => {
  let sys: BotSystem;
  let streaming: number;
  beforeAll(async () => {
    sys = await startBotSystem({ paymentTimeout: '10m', pollInterval: '60s' });
    streaming = (
      await sys.stack.catalog.addProduct({ name: 'Netflix', category: 'Streaming', price: 50_000 })
    ).id;
    await sys.stack.catalog.addStock(
      streaming,
      Array.from({ length: 8 }, (_, i) => `netflix${i}@mail.test:pw${i}`),
    );
  });
  afterAll(() => sys?.close());

  /** Credits the customer, who opens Netflix and presses SALDO: the confirmation shows what is left. */
  async function toSaldoConfirmation(
    user: ReturnType<BotSystem['telegram']['user']>,
    credit: number,
    left: string,
  ) {
    await sys.stack.worker.postLedgerEntry({
      userId: user.id,
      delta: credit,
      reason: 'transfer',
      idempotencyKey: `seed-${user.id}`,
    });
    await user.send(String(streaming));
    await user.waitForText('Jumlah: 1');
    await user.press('Lanjut ke pembayaran');
    await user.waitForText('Ringkasan Pesanan');
    await user.press('SALDO');
    return user.waitForText(`Saldo setelah: ${left}`);
  }

  it('onboards a new customer, who browses, buys 3 by QRIS, pays in the sandbox and gets the goods', async () => {
    const user = sys.telegram.user({ id: newUserId(), firstName: 'Rina', username: 'rina' });
    await user.send('/start');
    await user.waitFor((m: Msg) => m.sticker !== undefined);
    await user.waitForText('Siapa nama Anda');
    await user.press('Lewati');
    await user.waitForText('Nomor WhatsApp');
    await user.send('123');
    await user.waitForText('8–15 digit');
    await user.send('081234567890');
    await user.waitForText('Alamat email');
    await user.send('/skip');
    const menu = await user.waitForText('Halo Anonymous');
    expect(menu.text).toContain('Selamat datang di Toko Uji');
    expect(buttons(menu)).toEqual([['Kategori', 'Terlaris', 'Semua Produk']]);
    expect(user.replyKeyboard()).toEqual([
      ['LIST PRODUK', 'STOK'],
      ['AKUN', 'KIRIM PESAN'],
      [String(streaming)],
    ]);
    expect((await sys.stack.orders.user(user.id)).whatsapp).toBe('081234567890');

    await user.press('Kategori');
    await user.waitFor((m: Msg) => buttons(m).flat().includes('Streaming (1)'));
    await user.press('Streaming (1)');
    await user.waitFor((m: Msg) => buttons(m).flat().includes(`${streaming}. Netflix`));
    await user.press(`${streaming}. Netflix`);
    await user.waitForText('Jumlah: 1');
    await user.press('+');
    await user.waitForText('Jumlah: 2');
    await user.press('+');
    await user.waitForText('Jumlah: 3');
    await user.press('Lanjut ke pembayaran');
    const summary = await user.waitForText('Ringkasan Pesanan');
    expect(summary.text).toContain('Total tagihan (QRIS): Rp151.500'); // 150.000 + 1% above Rp105.000
    await user.press('QRIS');

    const qr = await user.waitFor((m: Msg) => m.photo !== undefined);
    const invoiceId = invoiceIn(qr);
    expect(buttons(qr)).toEqual([['Checkout Page', '🏦 Metode lain'], ['Status Pembayaran'], ['Batalkan']]);
    expect(decodeQr(qr.photo!.bytes)).toBe(sys.stack.sandbox.transaction(invoiceId)!.paymentNumber);
    expect(await sys.stack.catalog.product(streaming)).toMatchObject({ stock: 5, reservedStock: 3 });

    await user.press('Status Pembayaran');
    await payInSandbox(sys, invoiceId);
    // The QR message itself becomes the receipt with the goods, its buttons gone: no new message.
    const receipt = await user.waitFor((m: Msg) => m.id === qr.id && (m.caption ?? '').includes('Lunas'));
    expect(receipt.caption).toContain('🎉 Pesanan berhasil!');
    expect(receipt.caption).toContain(invoiceId);
    expect(receipt.caption).toContain('💳 Dibayar dengan QRIS (biaya Rp1.500)');
    for (const i of [0, 1, 2]) expect(receipt.caption).toContain(`netflix${i}@mail.test:pw${i}`);
    expect(buttons(receipt)).toEqual([]);
    expect(
      user.messages().filter((m: Msg) => (m.text ?? m.caption ?? '').includes('netflix0@')),
    ).toHaveLength(1);
    expect(await sys.stack.catalog.product(streaming)).toMatchObject({
      stock: 5,
      reservedStock: 0,
      soldCount: 3,
    });
  });

  it('buys from the balance, and refuses when the balance is short', async () => {
    const user = sys.telegram.user({ id: newUserId(), firstName: 'Sari' });
    await sys.stack.orders.upsertUser({ id: user.id, name: 'Sari' });
    await user.send(String(streaming));
    await user.waitForText('Jumlah: 1');
    await user.press('Lanjut ke pembayaran');
    await user.waitForText('Ringkasan Pesanan');
    await user.press('SALDO');
    await user.waitForText('❌ Saldo tidak mencukupi. Silakan deposit atau gunakan QRIS.');
    expect((await sys.stack.catalog.product(streaming)).reservedStock).toBe(0);

    const confirm = await toSaldoConfirmation(user, 60_000, 'Rp10.000');
    await user.press('Konfirmasi');
    // The confirmation the customer pressed becomes the receipt with the goods: the reply to the press,
    // no new message (issue 18).
    const receipt = await user.waitFor((m: Msg) => m.id === confirm.id && says('Lunas')(m));
    expect(receipt.text).toContain('🎉 Pesanan berhasil!');
    expect(receipt.text).toMatch(/netflix\d@mail\.test:pw\d/);
    expect(buttons(receipt)).toEqual([]);
    expect(user.messages().filter(says(/netflix\d@mail/))).toHaveLength(1);
    expect((await sys.stack.orders.user(user.id)).balance).toBe(10_000);
  });

  it("sends a balance purchase's goods as a new message when Telegram will not edit the confirmation", async () => {
    const user = sys.telegram.user({ id: newUserId(), firstName: 'Tono' });
    await sys.stack.orders.upsertUser({ id: user.id, name: 'Tono' });
    const confirm = await toSaldoConfirmation(user, 50_000, 'Rp0');
    sys.telegram.failNext({
      method: 'editMessageText',
      chatId: user.id,
      errorCode: 400,
      description: "Bad Request: message can't be edited",
    });
    await user.press('Konfirmasi');
    const goods = await user.waitFor((m: Msg) => m.id !== confirm.id && says(/netflix\d@mail/)(m));
    expect(goods.id).toBeGreaterThan(confirm.id);
    await user.waitForText('🎉 Pesanan berhasil!');
    expect(user.messages().filter(says(/netflix\d@mail/))).toHaveLength(1);
    expect((await sys.stack.orders.user(user.id)).balance).toBe(0);
  });

  it('deposits by QRIS, then buys with the new balance', async () => {
    const user = sys.telegram.user({ id: newUserId(), firstName: 'Dodi' });
    await sys.stack.orders.upsertUser({ id: user.id, name: 'Dodi' });
    await user.send('/start'); // a returning user: straight to the menu and its keyboard
    await user.waitForText('Halo Dodi');
    await user.tapKeyboard('AKUN');
    await user.waitForText('Akun Anda');
    await user.press('Deposit');
    await user.waitForText('Pilih jumlah deposit');
    await user.press('Jumlah Lain');
    await user.waitForText('Ketik jumlah deposit');
    await user.send('5.000');
    await user.waitForText('harus angka antara Rp10.000 dan Rp10.000.000');
    await user.send('Rp 50.000');
    const qr = await user.waitFor((m: Msg) => m.photo !== undefined);
    await payInSandbox(sys, invoiceIn(qr));
    // The QR the customer paid becomes the notice (one Telegram call): no new message, nothing to scan.
    const credited = await user.waitFor((m: Msg) => m.id === qr.id && says('💰 Deposit berhasil!')(m));
    expect(decodeQr(credited.photo!.bytes)).toBeUndefined();
    expect(buttons(credited)).toEqual([]);
    expect(user.messages().filter(says('Deposit berhasil'))).toHaveLength(1);
    expect((await sys.stack.orders.user(user.id)).balance).toBe(50_000);

    await user.send(String(streaming));
    await user.waitForText('Jumlah: 1');
    await user.press('Lanjut ke pembayaran');
    await user.waitForText('Ringkasan Pesanan');
    await user.press('SALDO');
    await user.waitForText('Konfirmasi pembayaran dengan saldo');
    await user.press('Konfirmasi');
    await user.waitForText('🎉 Pesanan berhasil!');
    expect((await sys.stack.orders.user(user.id)).balance).toBe(0);
  });

  it('lets a customer jump anywhere mid-checkout; old buttons still answer; nothing stays held', async () => {
    const user = sys.telegram.user({ id: newUserId(), firstName: 'Nav' });
    await sys.stack.orders.upsertUser({ id: user.id, name: 'Nav' });
    await user.send('/start'); // a returning user: straight to the menu and its keyboard
    await user.waitForText('Halo Nav');
    await user.send(String(streaming));
    await user.waitForText('Jumlah: 1');
    await user.press('Lanjut ke pembayaran');
    await user.waitForText('Ringkasan Pesanan');
    // Mid-checkout: AKUN, then a product number, then AKUN again...
    await user.tapKeyboard('AKUN');
    await user.waitForText('Akun Anda');
    await user.tapKeyboard(String(streaming));
    const product = await user.waitFor(
      (m: Msg) => m.from === 'bot' && says('Jumlah: 1')(m) && buttons(m).flat().includes('+5'),
    );
    await user.tapKeyboard('AKUN');
    await user.waitFor((m: Msg) => m.id > product.id && says('Akun Anda')(m));
    // ...and the quantity button of the older product message still works, capped at the stock.
    const stock = (await sys.stack.catalog.product(streaming)).stock;
    await user.pressOn(product.id, '+5');
    await user.waitFor((m: Msg) => m.id === product.id && says(`Jumlah: ${Math.min(6, stock)}`)(m));
    await user.send('99999');
    await user.waitForText('Produk tidak ditemukan');
    // A word is a search (docs/features.md §2.3): none found says so.
    await user.send('halo bot');
    await user.waitForText('Tidak ada produk yang cocok dengan "halo bot"');
    expect((await sys.stack.catalog.product(streaming)).reservedStock).toBe(0);
  });
});

describe('the bot, end to end (3-second payment window)', () => {
  let sys: BotSystem;
  beforeAll(async () => {
    sys = await startBotSystem({ paymentTimeout: '3s', pollInterval: '1s' });
  });
  afterAll(() => sys?.close());

  it('turns an unpaid QR into the expiry notice after the timeout (nothing left to scan, only a back button) and puts the stock back', async () => {
    const { id } = await sys.stack.catalog.addProduct({ name: 'Canva', price: 15_000 });
    await sys.stack.catalog.addStock(id, ['canva1', 'canva2']);
    const user = sys.telegram.user({ id: newUserId(), firstName: 'Lupa' });
    await sys.stack.orders.upsertUser({ id: user.id, name: 'Lupa' });
    await user.send(String(id));
    await user.waitForText('Jumlah: 1');
    await user.press('Lanjut ke pembayaran');
    await user.waitForText('Ringkasan Pesanan');
    await user.press('QRIS');
    const qr = await user.waitFor((m: Msg) => m.photo !== undefined);
    expect(decodeQr(qr.photo!.bytes)).toBeDefined();
    const expired = await user.waitFor(
      (m: Msg) => m.id === qr.id && says(/^Invoice expired. Pembayaran tidak diterima lagi/)(m),
      { timeoutMs: 20_000 },
    );
    expect(buttons(expired)).toEqual([['Kembali']]);
    expect(decodeQr(expired.photo!.bytes)).toBeUndefined(); // the QR image itself is gone
    expect(user.messages().filter(says('Invoice expired'))).toHaveLength(1);
    expect(await sys.stack.catalog.product(id)).toMatchObject({ stock: 2, reservedStock: 0 });
  });

  it('sells the last 10 items to 10 of 20 concurrent buyers; the other 10 hear it is out of stock', async () => {
    const { id } = await sys.stack.catalog.addProduct({ name: 'Flash', price: 1_000 });
    await sys.stack.catalog.addStock(
      id,
      Array.from({ length: 10 }, (_, i) => `flash-${i}`),
    );
    const users = await Promise.all(
      Array.from({ length: 20 }, async (_, i) => {
        const user = sys.telegram.user({ id: newUserId(), firstName: `Buyer${i}` });
        await sys.stack.orders.upsertUser({ id: user.id, name: `Buyer${i}` });
        await sys.stack.worker.postLedgerEntry({
          userId: user.id,
          delta: 5_000,
          reason: 'transfer',
          idempotencyKey: `flash-${user.id}`,
        });
        await user.send(String(id));
        await user.waitForText('Jumlah: 1');
        await user.press('Lanjut ke pembayaran');
        await user.waitForText('Ringkasan Pesanan');
        await user.press('SALDO');
        await user.waitForText('Konfirmasi pembayaran dengan saldo');
        return user;
      }),
    );
    await Promise.all(users.map((u) => u.press('Konfirmasi')));
    const outcomes = await Promise.all(
      users.map(async (u) => {
        const m = await u.waitFor((x: Msg) => says('🎉 Pesanan berhasil!')(x) || says(/stok/i)(x), {
          timeoutMs: 30_000,
        });
        return says('🎉 Pesanan berhasil!')(m) ? 'goods' : 'out_of_stock';
      }),
    );
    expect(outcomes.filter((o) => o === 'goods')).toHaveLength(10);
    expect(outcomes.filter((o) => o === 'out_of_stock')).toHaveLength(10);
    expect(await sys.stack.catalog.product(id)).toMatchObject({ stock: 0, reservedStock: 0, soldCount: 10 });
    const [{ sold }] = await sys.stack.sql<{ sold: number }>(
      "SELECT count(DISTINCT id)::int AS sold FROM catalog.stock_items WHERE product_id = $1 AND status = 'sold'",
      [id],
    );
    expect(sold).toBe(10);
  });
});

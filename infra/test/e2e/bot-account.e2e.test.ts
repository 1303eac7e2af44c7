import { NotifyClient, type NotifyRequest } from '@quickcart/notify';
import { newUserId, startBotSystem } from './bot-system';

type Msg = {
  id: number;
  from: 'bot' | 'user';
  text?: string;
  caption?: string;
  photo?: unknown;
  inlineKeyboard?: { text: string }[][];
};
const textOf = (m: Msg) => m.text ?? m.caption ?? '';

describe('the bot: account, best sellers, cancelling a QR, and /notify', () => {
  let sys: Awaited<ReturnType<typeof startBotSystem>>;
  let productId: number;
  beforeAll(async () => {
    sys = await startBotSystem({ paymentTimeout: '10m', pollInterval: '60s' });
    productId = (
      await sys.stack.catalog.addProduct({ name: 'Disney+', category: 'Streaming', price: 25_000 })
    ).id;
    await sys.stack.catalog.addStock(productId, ['d1', 'd2', 'd3']);
  });
  afterAll(() => sys?.close());

  it('edits the profile with validation and shows the transaction history', async () => {
    const user = sys.telegram.user({ id: newUserId(), firstName: 'Profil' });
    await sys.stack.orders.upsertUser({ id: user.id, name: 'Profil' });
    await sys.stack.orders.deposit({ userId: user.id, amount: 10_000 });
    await user.send('/start');
    await user.waitForText('Halo Profil');
    await user.tapKeyboard('AKUN');
    await user.waitForText('Akun Anda');
    await user.press('Ubah Email');
    await user.waitForText('Kirim email baru');
    await user.send('bukan email');
    await user.waitForText('bukan alamat email yang valid');
    await user.send('profil@mail.test');
    await user.waitForText('Email: profil@mail.test');
    await user.press('Ubah Nama');
    await user.send('Profil Baru');
    await user.waitForText('Nama: Profil Baru');
    await user.press('Riwayat Transaksi');
    const history = await user.waitForText('Riwayat Transaksi');
    expect(textOf(history)).toMatch(/Deposit • Rp10\.380 • pending/); // 10.000 + 0.7% (70) + 310
  });

  it('cancels a QRIS invoice from its own button: QR removed, stock released', async () => {
    const user = sys.telegram.user({ id: newUserId(), firstName: 'Batal' });
    await sys.stack.orders.upsertUser({ id: user.id, name: 'Batal' });
    await user.send(String(productId));
    await user.waitForText('Jumlah: 1');
    await user.press('Lanjut ke pembayaran');
    await user.waitForText('Ringkasan Pesanan');
    await user.press('QRIS');
    const qr = await user.waitFor((m: Msg) => m.photo !== undefined);
    const statusPress = await user.press('Status Pembayaran');
    // Answered at once, the result a message of its own (a slow Pakasir: status-button.e2e.test.ts).
    expect((await user.waitForCallbackAnswer(statusPress)).text).toBe('⏳ Mengecek…');
    await user.waitForText('Pembayaran belum diterima (belum dibayar).');
    expect((await sys.stack.catalog.product(productId)).reservedStock).toBe(1);
    await user.press('Batalkan');
    // The QR message itself becomes the notice.
    await user.waitFor((m: Msg) => m.id === qr.id && textOf(m).includes('Pesanan dibatalkan atau expired'));
    expect((await sys.stack.catalog.product(productId)).reservedStock).toBe(0);
  });

  it('shows best sellers and Top Buyers by name', async () => {
    const buyer = sys.telegram.user({ id: newUserId(), firstName: 'Juara' });
    await sys.stack.orders.upsertUser({ id: buyer.id, name: 'Juara' });
    await sys.stack.worker.postLedgerEntry({
      userId: buyer.id,
      delta: 25_000,
      reason: 'transfer',
      idempotencyKey: `tb-${buyer.id}`,
    });
    await sys.stack.orders.checkout({ userId: buyer.id, productId, quantity: 1, paymentMethod: 'balance' });
    await buyer.waitForText('🎉 Pesanan berhasil!');
    await buyer.send('/start');
    await buyer.waitForText('Halo Juara');
    await buyer.press('Terlaris');
    await buyer.waitForText('1. Disney+ — terjual 1');
    await buyer.press('Top Buyers');
    const top = await buyer.waitForText('Top Buyers');
    expect(textOf(top)).toContain('🥇 Juara — Rp25.000 (1 pesanan)');
    expect(textOf(top)).not.toContain(String(buyer.id));
  });

  it('/notify sends once per key, passes 429 on with retry-after, and reports a blocked bot', async () => {
    const notify = new NotifyClient({ baseUrl: sys.gatewayUrl, token: sys.stack.tokens.worker });
    const user = sys.telegram.user({ id: newUserId(), firstName: 'Notif' });
    await user.send('/help');
    await user.waitForText('Bantuan');
    const request = {
      action: 'send',
      idempotencyKey: `t-${user.id}`,
      chatId: user.id,
      message: { template: 'deposit.expired', data: { invoiceId: 'INVX' } },
    } as const;
    const first = await notify.notify(request);
    const again = await notify.notify(request);
    expect(again).toEqual(first);
    expect(user.messages().filter((m: Msg) => textOf(m).includes('Invoice deposit expired'))).toHaveLength(1);

    sys.telegram.failNext({ method: 'sendMessage', errorCode: 429, retryAfter: 7 });
    const limited = await notify.notify({ ...request, idempotencyKey: `t2-${user.id}` }).catch((e) => e);
    expect(limited).toMatchObject({
      retryable: true,
      reason: 'rate_limited',
      details: { retryAfterSeconds: 7 },
    });

    sys.telegram.block(user.id);
    const blocked = await notify.notify({ ...request, idempotencyKey: `t3-${user.id}` }).catch((e) => e);
    expect(blocked).toMatchObject({ reason: 'bot_blocked' });
  });

  it('/notify retried after the second delivery message failed sends only what is missing', async () => {
    const notify = new NotifyClient({ baseUrl: sys.gatewayUrl, token: sys.stack.tokens.worker });
    const user = sys.telegram.user({ id: newUserId(), firstName: 'Dua' });
    await user.send('/help');
    await user.waitForText('Bantuan');
    const request: NotifyRequest = {
      action: 'send',
      idempotencyKey: `deliver-${user.id}`,
      chatId: user.id,
      message: {
        template: 'purchase.delivered',
        data: { invoiceId: 'INVTWO', productName: 'Dua Pesan', quantity: 1, items: [`isi-${user.id}`] },
      },
    };
    // The success message goes out; Telegram fails the goods message with a 5xx.
    sys.telegram.failNext({ method: 'sendMessage', after: 1, errorCode: 502 });
    const failed = await notify.notify(request).catch((e) => e);
    expect(failed).toMatchObject({ retryable: true });
    const retried = await notify.notify(request);
    expect(retried.messageIds).toHaveLength(2);
    const bot = user.messages().filter((m: Msg) => m.from === 'bot');
    expect(bot.filter((m: Msg) => textOf(m).includes('Pesanan berhasil'))).toHaveLength(1);
    expect(bot.filter((m: Msg) => textOf(m).includes(`isi-${user.id}`))).toHaveLength(1);
    expect(retried.messageIds[0]).toBe(bot.find((m: Msg) => textOf(m).includes('Pesanan berhasil'))!.id);
  });
});

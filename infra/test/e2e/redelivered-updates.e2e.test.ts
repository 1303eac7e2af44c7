import type { ChatMessage } from '@quickcart/sandbox';
import { eventually } from './eventually';
import { newUserId, startBotSystem, type BotSystem } from './bot-system';

const says = (text: string) => (m: ChatMessage) => (m.text ?? m.caption ?? '').includes(text);

describe('an update Telegram hands over more than once (issue 12, 1)', () => {
  let sys: BotSystem;
  let productId: number;
  beforeAll(async () => {
    sys = await startBotSystem({ paymentTimeout: '10m', pollInterval: '60s' });
    productId = (await sys.stack.catalog.addProduct({ name: 'Disney+', price: 20_000 })).id;
    await sys.stack.catalog.addStock(
      productId,
      Array.from({ length: 6 }, (_, i) => `disney${i}@mail.test:pw${i}`),
    );
  });
  afterAll(() => sys?.close());

  /**
   * The user's next update reaches the gateway `times` times with one update_id and one callback query
   * id, as when Telegram hands it over again after each gateway restart (it was never confirmed) or
   * retries a webhook. All copies are queued before the gateway's long poll takes them.
   */
  function deliveredTimes(times: number): void {
    const { feed } = sys.telegram;
    const push = feed.push.bind(feed);
    jest.spyOn(feed, 'push').mockImplementationOnce((body) => {
      const update = push(body);
      for (let i = 1; i < times; i++) push({ ...body, update_id: update.update_id });
      return update;
    });
  }

  /** Updates of one user are handled in order: once this answer is shown, every earlier one was handled. */
  async function handledSoFar(user: ReturnType<BotSystem['telegram']['user']>): Promise<void> {
    const { id: asked } = await user.send('halo bot');
    await user.waitFor((m) => m.id > asked && says('Tidak ada produk yang cocok')(m));
  }

  const ordersOf = (userId: number) =>
    sys.stack.sql<{ invoice_id: string; kind: string; status: string; qr_message_id: number | null }>(
      'SELECT invoice_id, kind, status, qr_message_id FROM orders.orders WHERE user_id = $1 ORDER BY id',
      [userId],
    );
  const debitsOf = (userId: number) =>
    sys.stack.sql<{ delta: number }>(
      `SELECT delta::int FROM orders.ledger WHERE user_id = $1 AND reason = 'purchase' ORDER BY id`,
      [userId],
    );

  it('makes one order, one debit and one delivery of a Konfirmasi (SALDO) press handled three times', async () => {
    const user = sys.telegram.user({ id: newUserId(), firstName: 'Wati' });
    await sys.stack.orders.upsertUser({ id: user.id, name: 'Wati' });
    await sys.stack.worker.postLedgerEntry({
      userId: user.id,
      delta: 40_000,
      reason: 'transfer',
      idempotencyKey: `seed-${user.id}`,
    });
    await user.send(String(productId));
    await user.waitForText('Jumlah: 1');
    await user.press('Lanjut ke pembayaran');
    await user.waitForText('Ringkasan Pesanan');
    await user.press('SALDO');
    await user.waitForText('Konfirmasi pembayaran dengan saldo');

    deliveredTimes(3);
    await user.press('Konfirmasi');
    await handledSoFar(user);
    await user.waitForText('🎉 Pesanan berhasil!');
    await eventually(
      () => ordersOf(user.id),
      (orders) => orders.every((o) => o.status !== 'pending'),
      'every order decided',
    );

    const orders = await ordersOf(user.id);
    expect({ orders, debits: await debitsOf(user.id) }).toEqual({
      orders: [expect.objectContaining({ kind: 'purchase', status: 'paid' })],
      debits: [{ delta: -20_000 }],
    });
    expect(user.messages().filter(says('🎉 Pesanan berhasil!'))).toHaveLength(1);
    expect((await sys.stack.orders.user(user.id)).balance).toBe(20_000);
  });

  it('makes one deposit invoice and one QR of a deposit amount press handled twice', async () => {
    const user = sys.telegram.user({ id: newUserId(), firstName: 'Yudi' });
    await sys.stack.orders.upsertUser({ id: user.id, name: 'Yudi' });
    await user.send('/start');
    await user.waitForText('Halo Yudi');
    await user.tapKeyboard('AKUN');
    await user.waitForText('Akun Anda');
    await user.press('Deposit');
    await user.waitForText('Pilih jumlah deposit');

    deliveredTimes(2);
    await user.press('Rp 50.000');
    await handledSoFar(user);
    await eventually(
      () => ordersOf(user.id),
      (orders) => orders.every((o) => o.status !== 'pending' || o.qr_message_id !== null),
      'every QR shown',
    );

    expect(await ordersOf(user.id)).toEqual([
      expect.objectContaining({ kind: 'deposit', status: 'pending' }),
    ]);
    expect(user.messages().filter((m) => m.photo !== undefined)).toHaveLength(1);
  });
});

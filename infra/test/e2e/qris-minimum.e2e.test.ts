import { textOf, type Msg } from './admin-chat';
import { newUserId, startBotSystem, type BotSystem } from './bot-system';

/** Issue 13: Pakasir takes no QRIS payment under Rp500; the bot says so and offers SALDO. */
let sys: BotSystem;
beforeAll(async () => {
  sys = await startBotSystem({ paymentTimeout: '10m', pollInterval: '60s' }, {}, { worker: false });
});
afterAll(() => sys?.close());

const MINIMUM = 'Pembayaran QRIS minimal Rp500. Total ini bisa dibayar dengan SALDO (tanpa biaya).';

it('a Rp400 product: the summary says QRIS needs Rp500, a QRIS press is refused with that, nothing reserved', async () => {
  const { id: productId } = await sys.stack.catalog.addProduct({ name: 'Stiker', price: 400 });
  await sys.stack.catalog.addStock(productId, ['stiker-1']);
  const user = sys.telegram.user({ id: newUserId(), firstName: 'Nia' });
  await sys.stack.orders.upsertUser({ id: user.id, name: 'Nia' });

  const sent = await user.send(String(productId));
  const detail = await user.waitForText('Jumlah: 1', { after: sent.id });
  await user.pressOn(detail.id, 'Lanjut ke pembayaran');
  const summary = await user.waitFor(
    (m: Msg) => m.id === detail.id && textOf(m).includes('Ringkasan Pesanan'),
  );
  expect(textOf(summary)).toContain(MINIMUM);

  const before = user.messages().at(-1)!.id;
  await user.pressOn(summary.id, 'QRIS');
  const refusal = await user.waitForText(MINIMUM, { after: before });
  expect(refusal.id).not.toBe(summary.id);
  const still = user.messages().find((m: Msg) => m.id === summary.id)!;
  expect((still.inlineKeyboard ?? []).flat().map((b) => b.text)).toContain('SALDO');

  expect(await sys.stack.catalog.product(productId)).toMatchObject({ stock: 1, reservedStock: 0 });
  expect((await sys.stack.orders.orderHistory(user.id, 1)).items).toEqual([]);
});

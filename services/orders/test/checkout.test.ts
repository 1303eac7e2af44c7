import { CatalogClient } from '@quickcart/catalog/client';
import { Conflict, Upstream } from '@quickcart/kit';
import { ADMIN_ID, startTestStack, type TestStack } from './stack';

// The invoice id generator, real unless a test makes it draw an id that is already taken.
jest.mock('../src/orders/invoice-id', () => {
  const real = jest.requireActual('../src/orders/invoice-id');
  return { ...real, newInvoiceId: jest.fn(real.newInvoiceId) };
});
import { newInvoiceId } from '../src/orders/invoice-id';

// The stack's worker only opens orders (opening-worker.ts): every order stays pending until the test moves it.
let s: TestStack;
let productId: number;
beforeAll(async () => {
  s = await startTestStack();
  productId = (await s.catalog.addProduct({ name: 'YouTube Premium', price: 20_000 })).id;
  await s.catalog.addStock(
    productId,
    Array.from({ length: 20 }, (_, i) => `yt${i}:pw`),
  );
});
afterAll(() => s.close());

let nextId = 7_200_000;
async function customer(balance = 0): Promise<number> {
  const id = ++nextId;
  await s.orders.upsertUser({ id, name: 'Sari' });
  if (balance > 0)
    await s.worker.postLedgerEntry({
      userId: id,
      delta: balance,
      reason: 'deposit',
      idempotencyKey: `seed-${id}`,
    });
  return id;
}

const vouchers = async (count: number) =>
  (await s.orders.giveaway({ amount: 5_000, count, actor: String(ADMIN_ID) })).codes;

const balanceOrder = (userId: number, voucherCode?: string) =>
  s.orders.checkout({ userId, productId, quantity: 1, paymentMethod: 'balance', voucherCode });

describe('the 5-minute voucher cooldown', () => {
  it('counts a voucher a pending order holds: a second one is refused until that order closes', async () => {
    const userId = await customer(100_000);
    const [first, second] = await vouchers(2);
    const holding = await balanceOrder(userId, first);
    expect(holding).toMatchObject({ status: 'pending', voucherDiscount: 5_000 });

    await expect(s.orders.checkVoucher(second, userId)).rejects.toMatchObject({ reason: 'voucher_cooldown' });
    await expect(balanceOrder(userId, second)).rejects.toMatchObject({ reason: 'voucher_cooldown' });

    // Closed unpaid, the first voucher is given back and nothing was used: the second may be.
    await s.worker.transition(holding.invoiceId, { to: 'expired' });
    expect(await balanceOrder(userId, second)).toMatchObject({ voucherDiscount: 5_000 });
  });

  it('lets only one of two checkouts at the same moment use a voucher', async () => {
    const userId = await customer(100_000);
    const codes = await vouchers(2);
    const results = await Promise.allSettled(codes.map((code) => balanceOrder(userId, code)));
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    expect(results.find((r) => r.status === 'rejected')).toMatchObject({
      reason: { reason: 'voucher_cooldown' },
    });
  });
});

describe('an invoice id drawn twice', () => {
  it('never releases the stock another order reserved under that id', async () => {
    const first = await s.orders.checkout({
      userId: await customer(),
      productId,
      quantity: 1,
      paymentMethod: 'qris',
    });
    const before = await s.catalog.product(productId);
    jest.mocked(newInvoiceId).mockReturnValueOnce(first.invoiceId);

    const second = await s.orders
      .checkout({ userId: await customer(), productId, quantity: 1, paymentMethod: 'qris' })
      .catch((error: Error) => error);

    // The order that has the id keeps its stock, whatever became of the second checkout.
    expect(await s.reservations.reservation(first.invoiceId)).toMatchObject({
      status: 'reserved',
      quantity: 1,
    });
    // And the second customer is not refused for our bad luck: their checkout drew another id.
    if (second instanceof Error) throw second;
    expect(second.invoiceId).not.toBe(first.invoiceId);
    expect(await s.reservations.reservation(second.invoiceId)).toMatchObject({
      status: 'reserved',
      quantity: 1,
    });
    expect(await s.catalog.product(productId)).toMatchObject({
      stock: before.stock - 1,
      reservedStock: before.reservedStock + 1,
    });
    expect((await s.orders.order(first.invoiceId)).userId).toBe(first.userId);
  });

  it("draws again when the id is a deposit's: nothing is reserved under the deposit's id", async () => {
    const deposit = await s.orders.deposit({ userId: await customer(), amount: 50_000 });
    const before = await s.catalog.product(productId);
    jest.mocked(newInvoiceId).mockReturnValueOnce(deposit.invoiceId);
    const purchase = await s.orders.checkout({
      userId: await customer(),
      productId,
      quantity: 2,
      paymentMethod: 'qris',
    });
    expect(purchase.invoiceId).not.toBe(deposit.invoiceId);
    // The press's run finds the id taken when it opens, before anything is held, and checkout draws again.
    await expect(s.reservations.reservation(deposit.invoiceId)).rejects.toMatchObject({
      reason: 'reservation',
    });
    expect(await s.catalog.product(productId)).toMatchObject({
      stock: before.stock - 2,
      reservedStock: before.reservedStock + 2,
    });
    expect(await s.orders.order(deposit.invoiceId)).toMatchObject({ kind: 'deposit', status: 'pending' });
  });
});

describe('a reservation refused or unanswered at checkout', () => {
  afterEach(() => jest.restoreAllMocks());

  const ordersOf = (userId: number) =>
    s.sql<{ invoice_id: string; status: string }>(
      'SELECT invoice_id, status FROM orders.orders WHERE user_id = $1',
      [userId],
    );
  const runOf = async (invoiceId: string) =>
    (await s.temporal.workflow.getHandle(`purchase-${invoiceId}`).describe()).status.name;

  it('sold out since the quote: the order is closed with its voucher and debit back, its run ended holding nothing', async () => {
    const userId = await customer(100_000);
    const [code] = await vouchers(1);
    // Another buyer takes the last items between this checkout's quote and its reservation.
    jest
      .spyOn(CatalogClient.prototype, 'reserve')
      .mockRejectedValueOnce(new Conflict('only 0 in stock', 'out_of_stock', { available: 0, requested: 1 }));
    await expect(balanceOrder(userId, code)).rejects.toMatchObject({ reason: 'out_of_stock' });

    const [order] = await ordersOf(userId);
    expect(order).toMatchObject({ status: 'failed' });
    expect((await s.orders.user(userId)).balance).toBe(100_000);
    expect(await runOf(order!.invoice_id)).toBe('COMPLETED');
    await expect(s.orders.checkVoucher(code!, userId)).resolves.toBeDefined();
  });

  it('reserved but the answer lost: the run opens again and the catalog answers the same reservation', async () => {
    const userId = await customer();
    const before = await s.catalog.product(productId);
    const real = CatalogClient.prototype.reserve;
    jest.spyOn(CatalogClient.prototype, 'reserve').mockImplementationOnce(async function (
      this: CatalogClient,
      b,
    ) {
      await real.call(this, b);
      throw new Upstream('POST /reservations: The operation was aborted due to timeout', true, 'network');
    });
    const order = await s.orders.checkout({ userId, productId, quantity: 2, paymentMethod: 'qris' });

    expect(order).toMatchObject({ status: 'pending', quantity: 2 });
    expect(await ordersOf(userId)).toHaveLength(1);
    expect(await s.reservations.reservation(order.invoiceId)).toMatchObject({
      status: 'reserved',
      quantity: 2,
    });
    expect(await s.catalog.product(productId)).toMatchObject({ stock: before.stock - 2 });
    expect(await runOf(order.invoiceId)).toBe('RUNNING');
  });
});

describe('a flash sale: more presses at once than items', () => {
  afterEach(() => jest.restoreAllMocks());

  it('tells a press "sold out" at checkout, starting no run, while earlier presses have claimed every item', async () => {
    const flash = (await s.catalog.addProduct({ name: 'Spotify Flash', price: 15_000 })).id;
    await s.catalog.addStock(flash, ['sp1:pw', 'sp2:pw']);
    // The catalog is slow to reserve: the first two presses are in flight, neither reserved yet.
    let reservesGo!: () => void;
    const gate = new Promise<void>((r) => (reservesGo = r));
    const real = CatalogClient.prototype.reserve;
    jest.spyOn(CatalogClient.prototype, 'reserve').mockImplementation(async function (
      this: CatalogClient,
      b,
    ) {
      await gate;
      return real.call(this, b);
    });
    const press = async () =>
      s.orders.checkout({ userId: await customer(), productId: flash, quantity: 1, paymentMethod: 'qris' });
    const first = [press(), press()];
    // Both orders written by their runs' open, which now waits on the catalog.
    while ((await s.sql('SELECT 1 FROM orders.order_items WHERE product_id = $1', [flash])).length < 2)
      await new Promise((r) => setTimeout(r, 50));

    const third = await customer();
    await expect(
      s.orders.checkout({ userId: third, productId: flash, quantity: 1, paymentMethod: 'qris' }),
    ).rejects.toMatchObject({ reason: 'out_of_stock', details: { available: 0, requested: 1 } });
    expect(await s.sql('SELECT 1 FROM orders.orders WHERE user_id = $1', [third])).toEqual([]);

    reservesGo();
    const answered = await Promise.all(first);
    expect(answered.map((o) => o.status)).toEqual(['pending', 'pending']);
    expect(await s.catalog.product(flash)).toMatchObject({ stock: 0, reservedStock: 2 });
  });

  it('offers again what a press claimed once its run refused it', async () => {
    const flash = (await s.catalog.addProduct({ name: 'Disney Flash', price: 15_000 })).id;
    await s.catalog.addStock(flash, ['dp1:pw']);
    jest
      .spyOn(CatalogClient.prototype, 'reserve')
      .mockRejectedValueOnce(new Conflict('only 0 in stock', 'out_of_stock', { available: 0, requested: 1 }));
    await expect(
      s.orders.checkout({ userId: await customer(), productId: flash, quantity: 1, paymentMethod: 'qris' }),
    ).rejects.toMatchObject({ reason: 'out_of_stock' });
    const next = await s.orders.checkout({
      userId: await customer(),
      productId: flash,
      quantity: 1,
      paymentMethod: 'qris',
    });
    expect(next).toMatchObject({ status: 'pending', quantity: 1 });
  });
});

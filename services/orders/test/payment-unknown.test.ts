import { ADMIN_ID, startTestStack, type TestStack } from './stack';

// Issue 11, defect 4: a QRIS order whose payment Pakasir would not tell is parked as payment_unknown for
// an operator. It keeps its voucher (it may yet be paid) and ends paid, expired, cancelled or failed.
// No worker serves this stack's task queue: the test moves the orders as their workflow would.
let s: TestStack;
let productId: number;
beforeAll(async () => {
  s = await startTestStack();
  productId = (await s.catalog.addProduct({ name: 'Vidio', price: 25_000 })).id;
  await s.catalog.addStock(
    productId,
    Array.from({ length: 10 }, (_, i) => `vidio${i}:pw`),
  );
});
afterAll(() => s.close());

let nextId = 7_300_000;
async function qrisOrder(voucherCode?: string) {
  const userId = ++nextId;
  await s.orders.upsertUser({ id: userId, name: 'Rudi' });
  return s.orders.checkout({ userId, productId, quantity: 1, paymentMethod: 'qris', voucherCode });
}

const voucher = async () =>
  (await s.orders.giveaway({ amount: 5_000, count: 1, actor: String(ADMIN_ID) })).codes[0];
const voucherRow = async (code: string) =>
  (
    await s.sql<{ held_by: string | null; used_invoice: string | null }>(
      'SELECT held_by, used_invoice FROM orders.vouchers WHERE code = $1',
      [code],
    )
  )[0];

describe('payment_unknown', () => {
  it('parks a pending order, keeping its voucher held, and is audited', async () => {
    const code = await voucher();
    const order = await qrisOrder(code);
    const parked = await s.worker.transition(order.invoiceId, { to: 'payment_unknown' });
    expect(parked.status).toBe('payment_unknown');
    expect(await voucherRow(code)).toEqual({ held_by: order.invoiceId, used_invoice: null });
    // Repeating it (an activity retried) changes nothing.
    expect((await s.worker.transition(order.invoiceId, { to: 'payment_unknown' })).status).toBe(
      'payment_unknown',
    );
    const audit = await s.orders.audit({ reference: order.invoiceId });
    expect(audit.items.map((e) => e.after)).toContainEqual({ status: 'payment_unknown' });
  });

  it('ends paid, using the voucher, when Pakasir later confirms the payment', async () => {
    const code = await voucher();
    const order = await qrisOrder(code);
    await s.worker.transition(order.invoiceId, { to: 'payment_unknown' });
    const paid = await s.worker.transition(order.invoiceId, { to: 'paid' });
    expect(paid).toMatchObject({ status: 'paid' });
    expect(paid.paidAt).not.toBeNull();
    expect(await voucherRow(code)).toEqual({ held_by: null, used_invoice: order.invoiceId });
  });

  it.each(['expired', 'cancelled', 'failed'] as const)(
    'ends %s, giving the voucher back, when it was not paid',
    async (to) => {
      const code = await voucher();
      const order = await qrisOrder(code);
      await s.worker.transition(order.invoiceId, { to: 'payment_unknown' });
      expect((await s.worker.transition(order.invoiceId, { to })).status).toBe(to);
      expect(await voucherRow(code)).toEqual({ held_by: null, used_invoice: null });
    },
  );

  it('is never entered from a closed order, and never left for pending', async () => {
    const closed = await qrisOrder();
    await s.worker.transition(closed.invoiceId, { to: 'expired' });
    await expect(s.worker.transition(closed.invoiceId, { to: 'payment_unknown' })).rejects.toMatchObject({
      reason: 'invalid_transition',
    });
    const paid = await qrisOrder();
    await s.worker.transition(paid.invoiceId, { to: 'paid' });
    await expect(s.worker.transition(paid.invoiceId, { to: 'payment_unknown' })).rejects.toMatchObject({
      reason: 'invalid_transition',
    });
    const parked = await qrisOrder();
    await s.worker.transition(parked.invoiceId, { to: 'payment_unknown' });
    await expect(s.worker.transition(parked.invoiceId, { to: 'pending' as 'paid' })).rejects.toMatchObject({
      code: 'invalid',
    });
  });

  it('is for QRIS orders only: a balance payment is never in doubt', async () => {
    const userId = ++nextId;
    await s.orders.upsertUser({ id: userId, name: 'Rudi' });
    await s.worker.postLedgerEntry({
      userId,
      delta: 50_000,
      reason: 'deposit',
      idempotencyKey: `seed-${userId}`,
    });
    const order = await s.orders.checkout({ userId, productId, quantity: 1, paymentMethod: 'balance' });
    await expect(s.worker.transition(order.invoiceId, { to: 'payment_unknown' })).rejects.toMatchObject({
      reason: 'invalid_transition',
    });
  });

  it('shows in the order history as payment_unknown', async () => {
    const order = await qrisOrder();
    await s.worker.transition(order.invoiceId, { to: 'payment_unknown' });
    const { items } = await s.orders.orderHistory(order.userId);
    expect(items.map((o) => o.status)).toEqual(['payment_unknown']);
  });
});

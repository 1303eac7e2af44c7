import { ledgerKeys } from '@quickcart/workflow-api';
import { eventually } from '../../../infra/test/e2e/eventually';
import { ADMIN_ID, startTestStack, type TestStack } from './stack';

// The stack's worker only opens orders (opening-worker.ts): each order's run opens it and waits, so the
// test moves the orders itself, as a workflow (or anyone else who can call orders) would.
let s: TestStack;
let productId: number;
beforeAll(async () => {
  s = await startTestStack();
  productId = (await s.catalog.addProduct({ name: 'Disney+', price: 30_000 })).id;
  await s.catalog.addStock(
    productId,
    Array.from({ length: 30 }, (_, i) => `disney${i}:pw`),
  );
});
afterAll(() => s.close());

let nextId = 7_100_000;
async function customerWith(balance: number): Promise<number> {
  const id = ++nextId;
  await s.orders.upsertUser({ id, name: 'Dewi' });
  if (balance > 0)
    await s.worker.postLedgerEntry({
      userId: id,
      delta: balance,
      reason: 'deposit',
      idempotencyKey: `seed-${id}`,
    });
  return id;
}

const balanceOrder = (userId: number, voucherCode?: string) =>
  s.orders.checkout({ userId, productId, quantity: 1, paymentMethod: 'balance', voucherCode });

/**
 * A pending balance order without its debit, as checkout wrote them before the press's run opened them
 * (issue 18): runs of that code take the debit later (debitPurchase), and the rules below still hold them.
 */
async function undebitedBalanceOrder(userId: number) {
  const { invoiceId } = await s.orders.checkout({ userId, productId, quantity: 1, paymentMethod: 'qris' });
  await s.sql(
    `UPDATE orders.orders SET payment_method = 'balance', payment_fee = 0, total = subtotal - voucher_discount
      WHERE invoice_id = $1`,
    [invoiceId],
  );
  return s.orders.order(invoiceId);
}

const debit = (userId: number, key: string, delta: number) =>
  s.worker.postLedgerEntry({ userId, delta, reason: 'purchase', idempotencyKey: key });

describe('a balance order becomes paid only with its debit in the ledger', () => {
  it('is refused as payment_missing without the debit, and becomes paid once it is posted', async () => {
    const userId = await customerWith(100_000);
    const order = await undebitedBalanceOrder(userId);
    await expect(s.worker.transition(order.invoiceId, { to: 'paid' })).rejects.toMatchObject({
      reason: 'payment_missing',
    });
    expect((await s.orders.order(order.invoiceId)).status).toBe('pending');

    await debit(userId, ledgerKeys.purchase(order.invoiceId), -order.total);
    const paid = await s.worker.transition(order.invoiceId, { to: 'paid' });
    expect(paid).toMatchObject({ status: 'paid', total: 30_000 });
  });

  it('does not count a debit under another key, nor one of another amount', async () => {
    const userId = await customerWith(100_000);
    const elsewhere = await undebitedBalanceOrder(userId);
    await debit(userId, `purchase:someone-else-${elsewhere.invoiceId}`, -elsewhere.total);
    await expect(s.worker.transition(elsewhere.invoiceId, { to: 'paid' })).rejects.toMatchObject({
      reason: 'payment_missing',
    });

    const short = await undebitedBalanceOrder(userId);
    await debit(userId, ledgerKeys.purchase(short.invoiceId), -1_000);
    await expect(s.worker.transition(short.invoiceId, { to: 'paid' })).rejects.toMatchObject({
      reason: 'payment_missing',
    });
    expect((await s.orders.order(short.invoiceId)).status).toBe('pending');
  });

  it('still closes an unpaid balance order any other way', async () => {
    const userId = await customerWith(100_000);
    const order = await undebitedBalanceOrder(userId);
    expect(await s.worker.transition(order.invoiceId, { to: 'failed' })).toMatchObject({ status: 'failed' });
  });

  it('lets a voucher-paid order (total Rp0) and a QRIS order become paid without a debit', async () => {
    const userId = await customerWith(0);
    const [code] = (await s.orders.giveaway({ amount: 30_000, count: 1, actor: String(ADMIN_ID) })).codes;
    const free = await balanceOrder(userId, code);
    expect(free.total).toBe(0);
    expect(await s.worker.transition(free.invoiceId, { to: 'paid' })).toMatchObject({ status: 'paid' });

    // A QRIS order's payment is Pakasir's to confirm (its workflow does), not the ledger's.
    const qris = await s.orders.checkout({ userId, productId, quantity: 1, paymentMethod: 'qris' });
    expect(await s.worker.transition(qris.invoiceId, { to: 'paid' })).toMatchObject({ status: 'paid' });
  });
});

describe('a balance press takes its debit with its order (issue 18)', () => {
  it('opens the order with the balance already down by its total; a balance too low opens nothing', async () => {
    const userId = await customerWith(40_000);
    const order = await balanceOrder(userId);
    expect(order).toMatchObject({ status: 'pending', total: 30_000 });
    expect((await s.orders.user(userId)).balance).toBe(10_000);
    expect(await s.worker.transition(order.invoiceId, { to: 'paid' })).toMatchObject({ status: 'paid' });

    await expect(balanceOrder(userId)).rejects.toMatchObject({ reason: 'insufficient_balance' });
    expect((await s.orders.orderHistory(userId)).items).toHaveLength(1);
    expect((await s.orders.user(userId)).balance).toBe(10_000);
  });
});

describe('a balance order that leaves pending unpaid gives its debit back (docs/architecture.md §5)', () => {
  const balanceOf = async (userId: number) => (await s.orders.user(userId)).balance;
  const refundsOf = async (userId: number, invoiceId: string) =>
    (await s.orders.ledger(userId)).items.filter((e) => e.reference === invoiceId && e.delta > 0);

  it.each(['failed', 'cancelled', 'expired'] as const)(
    'credits the debit back once, in the same change that closes the order %s',
    async (to) => {
      const userId = await customerWith(100_000);
      const order = await undebitedBalanceOrder(userId);
      // Posted as runs before the order-owned debit post it (replayed histories still do).
      await debit(userId, ledgerKeys.purchase(order.invoiceId), -order.total);
      expect(await balanceOf(userId)).toBe(70_000);

      expect(await s.worker.transition(order.invoiceId, { to })).toMatchObject({ status: to });
      expect(await balanceOf(userId)).toBe(100_000);
      // An activity's retry repeats the transition: the credit stays one.
      await s.worker.transition(order.invoiceId, { to });
      expect(await balanceOf(userId)).toBe(100_000);
      expect(await refundsOf(userId, order.invoiceId)).toEqual([
        expect.objectContaining({
          delta: 30_000,
          reason: 'refund',
          idempotencyKey: ledgerKeys.purchaseRefund(order.invoiceId),
        }),
      ]);
    },
  );

  it('closes an order that was never debited without crediting anything', async () => {
    const userId = await customerWith(100_000);
    const order = await undebitedBalanceOrder(userId);
    await s.worker.transition(order.invoiceId, { to: 'failed' });
    expect(await balanceOf(userId)).toBe(100_000);
    expect(await refundsOf(userId, order.invoiceId)).toEqual([]);
  });

  it('refuses a debit that arrives after the order closed: the give-back that came first wins', async () => {
    const userId = await customerWith(100_000);
    const order = await undebitedBalanceOrder(userId);
    await s.worker.transition(order.invoiceId, { to: 'cancelled' });
    await expect(s.worker.debitPurchase(order.invoiceId)).rejects.toMatchObject({ reason: 'order_closed' });
    expect(await balanceOf(userId)).toBe(100_000);
  });

  it('debits the stored total once however often it is asked, and never credits a paid order', async () => {
    const userId = await customerWith(100_000);
    const order = await undebitedBalanceOrder(userId);
    const [first, again] = await Promise.all([
      s.worker.debitPurchase(order.invoiceId),
      s.worker.debitPurchase(order.invoiceId),
    ]);
    expect(first).toEqual(again);
    expect(first).toMatchObject({ delta: -30_000, idempotencyKey: ledgerKeys.purchase(order.invoiceId) });
    await s.worker.transition(order.invoiceId, { to: 'paid' });
    // A retry of the debit after the order was paid answers the same entry.
    expect(await s.worker.debitPurchase(order.invoiceId)).toEqual(first);
    expect(await balanceOf(userId)).toBe(70_000);
  });

  it('refuses a debit the balance can no longer cover and leaves the order pending', async () => {
    const userId = await customerWith(30_000);
    const order = await undebitedBalanceOrder(userId);
    // Spent elsewhere between checkout and the debit.
    await s.worker.postLedgerEntry({ userId, delta: -1, reason: 'edit', idempotencyKey: `spend-${userId}` });
    await expect(s.worker.debitPurchase(order.invoiceId)).rejects.toMatchObject({
      reason: 'insufficient_balance',
    });
    expect((await s.orders.order(order.invoiceId)).status).toBe('pending');
  });
});

describe('a QRIS order paid by another method of Pakasir’s page (docs/features.md §6.1)', () => {
  it('keeps its amount and takes the method and its fee, on the audit record; QRIS keeps the invoice fee', async () => {
    const userId = await customerWith(0);
    const va = await s.orders.checkout({ userId, productId, quantity: 1, paymentMethod: 'qris' });
    const paid = await s.worker.transition(va.invoiceId, {
      to: 'paid',
      paidVia: { method: 'bni_va', fee: 3_500 },
    });
    expect(paid).toMatchObject({
      status: 'paid',
      amount: 30_000,
      paymentFee: 3_500,
      total: 33_500,
      paidMethod: 'bni_va',
      paidFee: 3_500,
    });
    const audit = await eventually(
      () =>
        s.auditSql<{ after: { status: string } }>(
          "SELECT after FROM audit_log WHERE action = 'order.status' AND target_id = $1 ORDER BY id",
          [va.invoiceId],
        ),
      (rows) => rows.at(-1)?.after.status === 'paid',
      'the paid status on the audit record',
    );
    expect(audit.at(-1)?.after).toEqual({ status: 'paid', paidMethod: 'bni_va', paidFee: 3_500 });

    const qris = await s.orders.checkout({ userId, productId, quantity: 1, paymentMethod: 'qris' });
    const before = await s.orders.order(qris.invoiceId);
    const byQris = await s.worker.transition(qris.invoiceId, {
      to: 'paid',
      paidVia: { method: 'qris', fee: 9_999 },
    });
    expect(byQris).toMatchObject({
      paidMethod: 'qris',
      paidFee: before.paymentFee,
      paymentFee: before.paymentFee,
      total: before.total,
    });
    // A method whose fee nobody names: the invoice's fee and total stay, the fee is stored as unknown.
    const odd = await s.orders.checkout({ userId, productId, quantity: 1, paymentMethod: 'qris' });
    const unknownFee = await s.worker.transition(odd.invoiceId, {
      to: 'paid',
      paidVia: { method: 'ovo', fee: null },
    });
    expect(unknownFee).toMatchObject({ paidMethod: 'ovo', paidFee: null, total: before.total });
  });

  it('refuses a method for a balance order, or for any status but paid, and one that is no Pakasir code', async () => {
    const userId = await customerWith(100_000);
    const balance = await balanceOrder(userId);
    await expect(
      s.worker.transition(balance.invoiceId, { to: 'paid', paidVia: { method: 'bni_va', fee: 3_500 } }),
    ).rejects.toMatchObject({ reason: 'not_qris' });
    const qris = await s.orders.checkout({ userId, productId, quantity: 1, paymentMethod: 'qris' });
    await expect(
      s.worker.transition(qris.invoiceId, { to: 'expired', paidVia: { method: 'bni_va', fee: 3_500 } }),
    ).rejects.toMatchObject({ reason: 'not_qris' });
    await expect(
      s.worker.transition(qris.invoiceId, { to: 'paid', paidVia: { method: 'BNI VA; drop', fee: 1 } }),
    ).rejects.toMatchObject({ status: 400 });
    expect(await s.orders.order(qris.invoiceId)).toMatchObject({ status: 'pending', paidMethod: null });
  });
});

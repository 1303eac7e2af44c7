import { ledgerKeys, warrantyClaimId } from '@quickcart/workflow-api';
import { ADMIN_ID, startTestStack, type TestStack } from './stack';

// No worker serves this stack's task queue: each claim's workflow is started and waits, so the test
// records the outcomes itself, as the claim's workflow would.
let s: TestStack;
let productId: number;
beforeAll(async () => {
  s = await startTestStack();
  productId = (await s.catalog.addProduct({ name: 'Spotify', price: 40_000 })).id;
  await s.catalog.addStock(
    productId,
    Array.from({ length: 30 }, (_, i) => `spotify${i}:pw`),
  );
});
afterAll(() => s.close());

let nextId = 7_300_000;
async function customer(): Promise<number> {
  const id = ++nextId;
  await s.orders.upsertUser({ id, name: 'Rina' });
  await s.worker.postLedgerEntry({
    userId: id,
    delta: 500_000,
    reason: 'deposit',
    idempotencyKey: `seed-${id}`,
  });
  return id;
}

/** A balance purchase made paid as its workflow would, then dated `daysAgo` days back. */
async function paidOrder(userId: number, daysAgo = 0): Promise<string> {
  const order = await s.orders.checkout({ userId, productId, quantity: 1, paymentMethod: 'balance' });
  await s.worker.postLedgerEntry({
    userId,
    delta: -order.total,
    reason: 'purchase',
    idempotencyKey: ledgerKeys.purchase(order.invoiceId),
  });
  await s.worker.transition(order.invoiceId, { to: 'paid' });
  await s.sql(`UPDATE orders.orders SET paid_at = now() - make_interval(days => $2) WHERE invoice_id = $1`, [
    order.invoiceId,
    daysAgo,
  ]);
  return order.invoiceId;
}

const claim = (userId: number, invoiceId: string) =>
  s.orders.openWarrantyClaim({ userId, invoiceId, problem: 'tidak bisa login' });
const balance = async (userId: number) => (await s.orders.user(userId)).balance;

describe("the refund calculator counts the customer's warranty claims", () => {
  it('uses the claims multiplier once the customer has made a claim', async () => {
    const userId = await customer();
    const first = await paidOrder(userId, 2);
    const second = await paidOrder(userId, 2);
    expect(await s.orders.refundEstimate(second, userId)).toMatchObject({ claims: 0, multiplier: 0.8 });
    await claim(userId, first);
    expect(await s.orders.refundEstimate(second, userId)).toMatchObject({
      claims: 1,
      multiplier: 0.6,
      refund: Math.floor((40_000 * 28 * 60) / (30 * 100)),
    });
  });
});

describe('who may claim', () => {
  it("shows the claim button for paid orders inside the product's warranty, and /setwarranty moves it", async () => {
    const userId = await customer();
    const fresh = await paidOrder(userId, 3);
    const old = await paidOrder(userId, 31);
    const pending = await s.orders.checkout({ userId, productId, quantity: 1, paymentMethod: 'balance' });
    // The refund formula's base_days (30) until the product has its own.
    expect((await s.orders.orderHistory(userId)).claimable).toEqual([fresh]);
    expect(await s.orders.productWarranty(productId)).toEqual({ productId, days: 30, ownDays: null });

    await s.orders.setProductWarranty(productId, { days: 2, actor: String(ADMIN_ID) });
    expect((await s.orders.orderHistory(userId)).claimable).toEqual([]);
    await s.orders.setProductWarranty(productId, { days: 40, actor: String(ADMIN_ID) });
    expect((await s.orders.orderHistory(userId)).claimable).toEqual([old, fresh]); // newest first, as the history
    expect((await s.orders.orderHistory(userId)).claimable).not.toContain(pending.invoiceId);
    const audited = await s.auditSql<{ actor: string; before: unknown; after: unknown }>(
      "SELECT actor, before, after FROM audit_log WHERE action = 'product.warranty' AND target_id = $1 ORDER BY id",
      [String(productId)],
    );
    expect(audited).toEqual([
      { actor: String(ADMIN_ID), before: { days: null }, after: { days: 2 } },
      { actor: String(ADMIN_ID), before: { days: 2 }, after: { days: 40 } },
    ]);
    await s.orders.setProductWarranty(productId, { days: 30, actor: String(ADMIN_ID) });
  });

  it("refuses a claim past the warranty, on someone else's order, or on an unpaid one", async () => {
    const userId = await customer();
    const other = await customer();
    await expect(claim(userId, await paidOrder(userId, 30))).rejects.toMatchObject({
      reason: 'warranty_expired',
    });
    await expect(claim(other, await paidOrder(userId, 1))).rejects.toMatchObject({ reason: 'order' });
    const pending = await s.orders.checkout({ userId, productId, quantity: 1, paymentMethod: 'balance' });
    await expect(claim(userId, pending.invoiceId)).rejects.toMatchObject({ reason: 'not_paid' });
  });

  it('keeps one open claim an order: a repeated request answers it, and the order leaves the claimable list', async () => {
    const userId = await customer();
    const invoiceId = await paidOrder(userId, 1);
    const first = await claim(userId, invoiceId);
    const again = await claim(userId, invoiceId);
    expect(first).toMatchObject({
      created: true,
      claim: { id: warrantyClaimId(invoiceId, 1), status: 'open' },
    });
    expect(again).toMatchObject({ created: false, claim: { id: first.claim.id } });
    expect((await s.orders.orderHistory(userId)).claimable).toEqual([]);
    // Its workflow is findable by the invoice (the Web UI's filter).
    const described = await s.temporal.workflow.getHandle(first.claim.id).describe();
    expect(described.type).toBe('warrantyClaim');
  });
});

describe("a claim's outcome is written once", () => {
  it("credits the calculator's refund once under the claim's ledger key, however often it is recorded", async () => {
    const userId = await customer();
    const invoiceId = await paidOrder(userId, 2);
    const { claim: c } = await claim(userId, invoiceId);
    const before = await balance(userId);
    const first = await s.worker.resolveWarrantyClaim(c.id, { outcome: 'refunded', actor: String(ADMIN_ID) });
    const again = await s.worker.resolveWarrantyClaim(c.id, { outcome: 'refunded', actor: String(ADMIN_ID) });
    // Its own claim is not counted against it: 0 earlier claims, 2 days → × 0.8.
    const expected = Math.floor((40_000 * 28 * 80) / (30 * 100));
    expect(first).toMatchObject({ status: 'refunded', refundAmount: expected });
    expect(again).toEqual(first);
    expect(await balance(userId)).toBe(before + expected);
    const entries = await s.sql<{ delta: number }>(
      `SELECT delta FROM orders.ledger WHERE idempotency_key = $1`,
      [ledgerKeys.warrantyRefund(c.id)],
    );
    expect(entries.map((e) => Number(e.delta))).toEqual([expected]);
    await expect(
      s.worker.resolveWarrantyClaim(c.id, { outcome: 'rejected', actor: String(ADMIN_ID), reason: 'x' }),
    ).rejects.toMatchObject({ reason: 'claim_decided' });
    const audited = await s.auditSql<{ action: string; actor: string }>(
      `SELECT action, actor FROM audit_log WHERE reference = $1 ORDER BY id`,
      [c.id],
    );
    expect(audited).toEqual([
      { action: 'warranty.claim', actor: String(userId) },
      { action: 'warranty.refunded', actor: String(ADMIN_ID) },
    ]);
  });

  it("keeps a rejection's reason and a replacement's items, and then takes a new claim on the order", async () => {
    const userId = await customer();
    const invoiceId = await paidOrder(userId, 1);
    const { claim: c } = await claim(userId, invoiceId);
    expect(
      await s.worker.resolveWarrantyClaim(c.id, {
        outcome: 'rejected',
        actor: String(ADMIN_ID),
        reason: 'Salah pakai',
      }),
    ).toMatchObject({ status: 'rejected', rejectReason: 'Salah pakai', refundAmount: null });
    const second = await claim(userId, invoiceId);
    expect(second.claim.id).toBe(warrantyClaimId(invoiceId, 2));
    expect(
      await s.worker.resolveWarrantyClaim(second.claim.id, {
        outcome: 'replaced',
        actor: String(ADMIN_ID),
        itemIds: ['a-b'],
      }),
    ).toMatchObject({ status: 'replaced', replacementItemIds: ['a-b'] });
  });
});

import { Conflict, Invalid } from '@quickcart/kit';
import { startNotifyRecorder, type NotifyRecorder } from '@quickcart/notify';
import { PakasirClient } from '@quickcart/pakasir';
import { ADMIN_ID, API_KEY, PROJECT, startTestStack, type TestStack } from './stack';

// /stuck's list and buttons, and the anti-fraud flags, as orders answers them. No worker serves this
// stack's task queue: orders stay where checkout left them, and the test moves them as a workflow would.
let s: TestStack;
let recorder: NotifyRecorder;
let productId: number;
let bigProductId: number;
beforeAll(async () => {
  recorder = await startNotifyRecorder();
  s = await startTestStack({
    // A pending order is overdue 1 s after checkout: PAYMENT_TIMEOUT 1s + STUCK_GRACE 0s.
    paymentTimeout: '1s',
    orders: { STUCK_GRACE: '0s', GATEWAY_URL: recorder.url },
  });
  productId = (await s.catalog.addProduct({ name: 'Vidio', price: 25_000 })).id;
  await s.catalog.addStock(
    productId,
    Array.from({ length: 10 }, (_, i) => `vidio${i}:pw`),
  );
  bigProductId = (await s.catalog.addProduct({ name: 'Lisensi Kantor', price: 1_500_000 })).id;
  await s.catalog.addStock(bigProductId, ['lisensi1']);
});
afterAll(async () => {
  await s.close();
  await recorder.close();
});

let nextId = 7_600_000;
async function customer(balance = 0) {
  const userId = ++nextId;
  await s.orders.upsertUser({ id: userId, name: 'Wulan' });
  if (balance > 0)
    await s.worker.postLedgerEntry({
      userId,
      delta: balance,
      reason: 'transfer',
      reference: 'operator-tools',
      idempotencyKey: `operator-tools-${userId}`,
      actor: String(ADMIN_ID),
    });
  return userId;
}

describe('/stuck', () => {
  it('lists pending orders past their window and parked ones, oldest first', async () => {
    const made = [];
    for (let i = 0; i < 3; i++) {
      const userId = await customer();
      made.push(await s.orders.checkout({ userId, productId, quantity: 1, paymentMethod: 'qris' }));
    }
    await s.worker.transition(made[1].invoiceId, { to: 'payment_unknown' });
    await new Promise((r) => setTimeout(r, 1_200));
    const stuck = await s.orders.stuckOrders();
    expect(stuck.items.map((i) => [i.order.invoiceId, i.reason])).toEqual([
      [made[0].invoiceId, 'overdue'],
      [made[1].invoiceId, 'payment_unknown'],
      [made[2].invoiceId, 'overdue'],
    ]);
    expect(stuck).toMatchObject({ page: 1, totalPages: 1, totalItems: 3, temporalUnavailable: false });
    // Closed orders leave the list.
    await s.worker.transition(made[0].invoiceId, { to: 'expired' });
    expect((await s.orders.stuckOrders()).items.map((i) => i.order.invoiceId)).not.toContain(
      made[0].invoiceId,
    );
  });

  it('"Cek Pakasir" shows Pakasir\'s answer, hands a payment to its workflow, and is audited', async () => {
    const order = await s.orders.checkout({
      userId: await customer(),
      productId,
      quantity: 1,
      paymentMethod: 'qris',
    });
    const actor = String(ADMIN_ID);
    // No worker opened the invoice: Pakasir does not know it, which is no answer on the payment.
    expect(await s.orders.askPakasir(order.invoiceId, actor)).toEqual({
      invoiceId: order.invoiceId,
      orderStatus: 'pending',
      answer: { state: 'unknown', reason: 'pakasir_http_404' },
    });
    const ref = { orderId: order.invoiceId, amount: order.amount };
    await new PakasirClient({ baseUrl: s.sandbox.url, project: PROJECT, apiKey: API_KEY }).createQris(ref);
    expect((await s.orders.askPakasir(order.invoiceId, actor)).answer).toEqual({
      state: 'unpaid',
      status: 'pending',
    });
    s.sandbox.pay(order.invoiceId);
    const paid = await s.orders.askPakasir(order.invoiceId, actor);
    expect(paid.answer.state).toBe('paid');
    const audit = await s.orders.audit({ reference: order.invoiceId, limit: 50 });
    expect(
      audit.items.filter((e) => e.action === 'order.pakasir_check').map((e) => [e.actor, e.after]),
    ).toEqual([
      [actor, expect.objectContaining({ state: 'paid' })],
      [actor, { state: 'unpaid', status: 'pending' }],
      [actor, { state: 'unknown', reason: 'pakasir_http_404' }],
    ]);
  });

  it('refuses to redeliver what is not a paid purchase, and Cek Pakasir on a balance order', async () => {
    const userId = await customer(100_000);
    const order = await s.orders.checkout({ userId, productId, quantity: 1, paymentMethod: 'balance' });
    await expect(s.orders.redeliver(order.invoiceId, String(ADMIN_ID))).rejects.toThrow(Conflict);
    await expect(s.orders.askPakasir(order.invoiceId, String(ADMIN_ID))).rejects.toThrow(Invalid);
  });
});

describe('anti-fraud flags (docs/features.md §4)', () => {
  it('flags a new account paying Rp1.500.000 once, tells the admins, and never blocks', async () => {
    const userId = await customer(2_000_000);
    const order = await s.orders.checkout({
      userId,
      productId: bigProductId,
      quantity: 1,
      paymentMethod: 'balance',
    });
    // What the purchase workflow does: the debit, then the order paid.
    await s.worker.postLedgerEntry({
      userId,
      delta: -order.total,
      reason: 'purchase',
      reference: order.invoiceId,
      idempotencyKey: `purchase:${order.invoiceId}`,
    });
    const paid = await s.worker.transition(order.invoiceId, { to: 'paid' });
    expect(paid.status).toBe('paid');
    await s.worker.transition(order.invoiceId, { to: 'paid' }); // an activity retried: flagged once

    const { items } = await s.orders.fraudFlags(userId);
    expect(items.map((f) => [f.rule, f.value, f.threshold, f.invoiceId]).sort()).toEqual([
      ['large_transaction', 1_500_000, 1_000_000, order.invoiceId],
      ['young_account', 1_500_000, 500_000, order.invoiceId],
    ]);
    const audited = await s.auditSql<{ action: string }>(
      `SELECT action FROM audit_log WHERE action = 'user.fraud_flag' AND reference = $1`,
      [order.invoiceId],
    );
    expect(audited).toHaveLength(2);
    // Flagged to the admins in their digest (docs/operations.md §18), never blocking.
    const notice = await waitFor(
      () =>
        recorder
          .to(ADMIN_ID)
          .flatMap((n) =>
            n.request.action === 'send' && n.request.message.template === 'admin.digest'
              ? n.request.message.data.notices.filter((m) => m.template === 'admin.fraud_flag')
              : [],
          )[0],
    );
    expect(notice).toMatchObject({ data: { userId, invoiceId: order.invoiceId } });
    // A calm customer has none.
    expect((await s.orders.fraudFlags(await customer())).items).toEqual([]);
  });
});

async function waitFor<T>(read: () => T | undefined, ms = 10_000): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const v = read();
    if (v !== undefined) return v;
    if (Date.now() > until) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 100));
  }
}

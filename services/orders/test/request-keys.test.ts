import { startNotifyRecorder, type NotifyRecorder } from '@quickcart/notify';
import { eventually } from '../../../infra/test/e2e/eventually';
import { startWorker } from '../../../infra/test/e2e/worker';
import { REQUEST_KEY_DAYS } from '../src/contract';
import { startTestStack, type TestStack } from './stack';

// The real worker serves this stack: a balance order is debited and delivered as in production, so a
// second order would show as a second debit.
let s: TestStack;
let recorder: NotifyRecorder;
let worker: { stop: () => Promise<void> };
let productId: number;
beforeAll(async () => {
  s = await startTestStack({ worker: 'none' });
  recorder = await startNotifyRecorder({ token: s.tokens.worker });
  worker = await startWorker(s, recorder.url);
  productId = (await s.catalog.addProduct({ name: 'Canva Pro', price: 15_000 })).id;
  await s.catalog.addStock(
    productId,
    Array.from({ length: 30 }, (_, i) => `canva${i}:pw`),
  );
});
afterAll(async () => {
  await worker?.stop();
  await recorder?.close();
  await s?.close();
});

let nextId = 7_400_000;
async function customer(balance = 0): Promise<number> {
  const id = ++nextId;
  await s.orders.upsertUser({ id, name: 'Tono' });
  if (balance > 0)
    await s.worker.postLedgerEntry({
      userId: id,
      delta: balance,
      reason: 'deposit',
      idempotencyKey: `seed-${id}`,
    });
  return id;
}

/** Keys as the gateway makes them: one per Telegram update (here, a made-up callback query id). */
let nextKey = 0;
const updateKey = (what: string, userId: number) => `${what}:${userId}:cb${Date.now()}${++nextKey}`;

const ordersOf = (userId: number) =>
  s.sql<{ invoice_id: string; status: string }>(
    'SELECT invoice_id, status FROM orders.orders WHERE user_id = $1 ORDER BY id',
    [userId],
  );
const debitsOf = (userId: number) =>
  s.sql<{ delta: number }>(
    `SELECT delta::int FROM orders.ledger WHERE user_id = $1 AND reason = 'purchase' ORDER BY id`,
    [userId],
  );
const signalsOf = async (workflowId: string) =>
  ((await s.temporal.workflow.getHandle(workflowId).fetchHistory()).events ?? []).flatMap((e) =>
    e.workflowExecutionSignaledEventAttributes?.signalName
      ? [e.workflowExecutionSignaledEventAttributes.signalName]
      : [],
  );

/** Waits until every order of the user is out of pending (its workflow decided it). */
const settled = (userId: number) =>
  eventually(
    () => ordersOf(userId),
    (orders) => orders.length > 0 && orders.every((o) => o.status !== 'pending'),
    'the orders to be decided',
  );

describe('a checkout asked again with the same request key', () => {
  it('answers the first order when the same balance checkout comes three times: one order, one debit', async () => {
    const userId = await customer(45_000);
    const body = {
      userId,
      productId,
      quantity: 1,
      paymentMethod: 'balance' as const,
      requestKey: updateKey('checkout', userId),
    };
    const first = await s.orders.checkout(body);
    await settled(userId); // the first is paid (debited) before the repeats arrive, as after a restart
    const repeats = [await s.orders.checkout(body), await s.orders.checkout(body)];
    await settled(userId);

    expect({ orders: await ordersOf(userId), debits: await debitsOf(userId) }).toEqual({
      orders: [{ invoice_id: first.invoiceId, status: 'paid' }],
      debits: [{ delta: -15_000 }],
    });
    expect(repeats.map((o) => o.invoiceId)).toEqual([first.invoiceId, first.invoiceId]);
    expect((await s.orders.user(userId)).balance).toBe(30_000);
    await s.temporal.workflow.getHandle(`purchase-${first.invoiceId}`).result(); // its goods were sent
    expect(recorder.templates(userId).filter((t) => t === 'purchase.delivered')).toHaveLength(1);
  });

  it('makes one order of three identical balance checkouts at the same moment; all three answer it', async () => {
    const userId = await customer(45_000);
    const before = await s.catalog.product(productId);
    const body = {
      userId,
      productId,
      quantity: 1,
      paymentMethod: 'balance' as const,
      requestKey: updateKey('checkout', userId),
    };
    const answers = await Promise.all([1, 2, 3].map(() => s.orders.checkout(body)));

    await settled(userId);

    expect({ orders: await ordersOf(userId), debits: await debitsOf(userId) }).toEqual({
      orders: [{ invoice_id: answers[0].invoiceId, status: 'paid' }],
      debits: [{ delta: -15_000 }],
    });
    expect(answers.map((o) => o.invoiceId)).toEqual(Array(3).fill(answers[0].invoiceId));
    // What the losers reserved before the unique index refused their order was given back.
    expect(await s.catalog.product(productId)).toMatchObject({
      stock: before.stock - 1,
      reservedStock: before.reservedStock,
      soldCount: before.soldCount + 1,
    });
  });

  it('never replaces the QRIS invoice it answers: a repeated QRIS checkout reserves and signals nothing', async () => {
    const userId = await customer();
    const before = await s.catalog.product(productId);
    const body = {
      userId,
      productId,
      quantity: 2,
      paymentMethod: 'qris' as const,
      requestKey: updateKey('checkout', userId),
    };
    const first = await s.orders.checkout(body);
    const again = await s.orders.checkout(body);

    expect(again).toEqual(first);
    expect(await ordersOf(userId)).toEqual([{ invoice_id: first.invoiceId, status: 'pending' }]);
    expect(await signalsOf(`purchase-${first.invoiceId}`)).toEqual([]);
    expect((await s.catalog.product(productId)).reservedStock).toBe(before.reservedStock + 2);
    await s.orders.cancel(first.invoiceId); // gives the stock back for the other tests
  });

  it('refuses a key that already made another customer’s order', async () => {
    const [owner, other] = [await customer(), await customer()];
    const requestKey = updateKey('deposit', owner);
    await s.orders.deposit({ userId: owner, amount: 10_000, requestKey });
    await expect(s.orders.deposit({ userId: other, amount: 10_000, requestKey })).rejects.toMatchObject({
      reason: 'request_key_reused',
    });
    expect(await ordersOf(other)).toEqual([]);
  });
});

describe('a deposit asked again with the same request key', () => {
  it('answers the first deposit, one after another and at the same moment: one invoice, one QR', async () => {
    const userId = await customer();
    const body = { userId, amount: 50_000, requestKey: updateKey('deposit', userId) };
    const first = await s.orders.deposit(body);
    const answers = [
      await s.orders.deposit(body),
      ...(await Promise.all([1, 2, 3].map(() => s.orders.deposit(body)))),
    ];

    expect(answers.map((o) => o.invoiceId)).toEqual(Array(4).fill(first.invoiceId));
    expect(await ordersOf(userId)).toEqual([{ invoice_id: first.invoiceId, status: 'pending' }]);
    // The invoice it answers is not replaced (cancelled) by its own repeat.
    expect(await signalsOf(`deposit-${first.invoiceId}`)).toEqual([]);
    // One Pakasir invoice, its QR in every answer (the gateway sends it once by its key, qr:<inv>); the
    // run sends no QR of its own.
    expect(first.qr?.qrString).toBeTruthy();
    for (const answer of answers) expect(answer.qr).toEqual(first.qr);
    expect(recorder.templates(userId).filter((t) => t === 'payment.qris')).toEqual([]);
  });

  it('makes one deposit of three identical ones at the same moment', async () => {
    const userId = await customer();
    const body = { userId, amount: 75_000, requestKey: updateKey('deposit', userId) };
    const answers = await Promise.all([1, 2, 3].map(() => s.orders.deposit(body)));

    expect(new Set(answers.map((o) => o.invoiceId)).size).toBe(1);
    expect(await ordersOf(userId)).toEqual([{ invoice_id: answers[0].invoiceId, status: 'pending' }]);
    expect(await signalsOf(`deposit-${answers[0].invoiceId}`)).toEqual([]);
  });
});

describe('a /giveaway asked again with the same request key', () => {
  it('makes one batch of codes, one after another and at the same moment; every answer is that batch', async () => {
    const key = `giveaway:1:${Date.now()}`;
    const body = { amount: 7_000, count: 3, actor: '1', requestKey: key };
    const first = await s.orders.giveaway(body);
    const again = await Promise.all([s.orders.giveaway(body), s.orders.giveaway(body)]);
    expect(first.codes).toHaveLength(3);
    for (const answer of again) {
      expect([...answer.codes].sort()).toEqual([...first.codes].sort());
      expect(answer.expiresAt).toBe(first.expiresAt);
    }
    const rows = await s.sql<{ n: number }>(
      'SELECT count(*)::int AS n FROM orders.vouchers WHERE amount = 7000 AND request_key = $1',
      [key],
    );
    expect(rows[0].n).toBe(3);
  });
});

describe('a request key after its days (REQUEST_KEY_DAYS)', () => {
  /** Moves an order's creation back, as if it had been made that many days ago. */
  const age = (invoiceId: string, days: number) =>
    s.sql(`UPDATE orders.orders SET created_at = now() - make_interval(days => $2) WHERE invoice_id = $1`, [
      invoiceId,
      days,
    ]);

  it('no longer stands for its request: the same key makes a new deposit; a younger one still answers', async () => {
    const userId = await customer();
    const body = { userId, amount: 20_000, requestKey: updateKey('deposit', userId) };
    const first = await s.orders.deposit(body);
    await age(first.invoiceId, REQUEST_KEY_DAYS - 1);
    expect((await s.orders.deposit(body)).invoiceId).toBe(first.invoiceId);

    await age(first.invoiceId, REQUEST_KEY_DAYS + 1);
    const second = await s.orders.deposit(body);
    expect(second.invoiceId).not.toBe(first.invoiceId);
    expect((await s.orders.deposit(body)).invoiceId).toBe(second.invoiceId); // the new one holds it now
    const keys = await s.sql<{ invoice_id: string; request_key: string | null }>(
      'SELECT invoice_id, request_key FROM orders.orders WHERE user_id = $1 ORDER BY id',
      [userId],
    );
    expect(keys).toEqual([
      { invoice_id: first.invoiceId, request_key: null },
      { invoice_id: second.invoiceId, request_key: body.requestKey },
    ]);
  });

  it('makes a new order for the same update id after a Telegram restart (the key carries the date)', async () => {
    const userId = await customer();
    // As the gateway keys a typed amount (services/gateway/src/context.ts): bot, user, update id @ date.
    const typed = (date: number) => `deposit:7000001:${userId}:5001@${date}`;
    const first = await s.orders.deposit({ userId, amount: 30_000, requestKey: typed(1_765_000_000) });
    const again = await s.orders.deposit({ userId, amount: 30_000, requestKey: typed(1_765_000_000) });
    const afterRestart = await s.orders.deposit({
      userId,
      amount: 30_000,
      requestKey: typed(1_765_000_000 + 8 * 86_400),
    });
    expect(again.invoiceId).toBe(first.invoiceId);
    expect(afterRestart.invoiceId).not.toBe(first.invoiceId);
    expect(await ordersOf(userId)).toHaveLength(2);
  });

  it('no longer stands for a /giveaway batch either: the same key makes new codes', async () => {
    const key = `giveaway:1:old-${Date.now()}`;
    const body = { amount: 6_000, count: 2, actor: '1', requestKey: key };
    const first = await s.orders.giveaway(body);
    await s.sql(
      `UPDATE orders.vouchers SET created_at = now() - make_interval(days => $2) WHERE request_key = $1`,
      [key, REQUEST_KEY_DAYS + 1],
    );
    const second = await s.orders.giveaway(body);
    expect(second.codes.filter((c) => first.codes.includes(c))).toEqual([]);
    expect(second.codes).toHaveLength(2);
  });
});

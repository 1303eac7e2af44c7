import { WorkflowNotFoundError } from '@temporalio/client';
import { startTestStack, type TestStack } from './stack';
import { startTemporalProxy, type TemporalProxy } from './temporal-proxy';

/**
 * Issue 12, item 4: an order exists ⇒ its workflow exists. Its start is written with the order (the
 * workflow_starts outbox) and relayed until Temporal takes it; what an older version left behind is
 * swept. Orders reaches Temporal through a proxy the tests turn off; no worker serves this stack, so a
 * started workflow stays running.
 */
let s: TestStack;
let proxy: TemporalProxy;
let productId: number;
beforeAll(async () => {
  proxy = await startTemporalProxy();
  s = await startTestStack({
    orders: { TEMPORAL_ADDRESS: proxy.address, WORKFLOW_START_GRACE: '1s', ORPHAN_SWEEP_INTERVAL: '1s' },
  });
  productId = (await s.catalog.addProduct({ name: 'Netflix 1 Bulan', price: 30_000 })).id;
  await s.catalog.addStock(
    productId,
    Array.from({ length: 40 }, (_, i) => `nf${i}:pw`),
  );
});
afterAll(async () => {
  await s?.close();
  await proxy?.close();
});
afterEach(() => proxy.set('up'));

let nextUser = 7_400_000;
async function customer(): Promise<number> {
  const id = ++nextUser;
  await s.orders.upsertUser({ id, name: 'Dewi' });
  return id;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function eventually<T>(read: () => Promise<T>, ok: (v: T) => boolean, what: string, ms = 15_000) {
  const until = Date.now() + ms;
  for (;;) {
    const v = await read();
    if (ok(v)) return v;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}; last: ${JSON.stringify(v)}`);
    await sleep(100);
  }
}

async function workflowStatus(workflowId: string): Promise<string> {
  try {
    return (await s.temporal.workflow.getHandle(workflowId).describe()).status.name;
  } catch (error) {
    if (error instanceof WorkflowNotFoundError) return 'NONE';
    throw error;
  }
}

const waitingStarts = async (invoiceId: string) =>
  (await s.sql('SELECT 1 FROM orders.workflow_starts WHERE invoice_id = $1', [invoiceId])).length;

const reservationStatus = async (invoiceId: string) =>
  (await s.reservations.reservation(invoiceId).catch(() => undefined))?.status ?? 'none';

describe('the workflow start of a checkout', () => {
  it('is relayed once Temporal, unreachable at checkout, is back', async () => {
    proxy.set('down');
    const userId = await customer();
    const order = await s.orders.checkout({ userId, productId, quantity: 2, paymentMethod: 'qris' });
    expect(order).toMatchObject({ status: 'pending', kind: 'purchase' });
    expect(await reservationStatus(order.invoiceId)).toBe('reserved');
    expect(await waitingStarts(order.invoiceId)).toBe(1);

    // The relay keeps trying while Temporal is down: nothing lost, nothing closed.
    await sleep(3_000);
    expect(await workflowStatus(`purchase-${order.invoiceId}`)).toBe('NONE');
    expect(await waitingStarts(order.invoiceId)).toBe(1);
    expect((await s.orders.order(order.invoiceId)).status).toBe('pending');

    proxy.set('up');
    await eventually(
      () => workflowStatus(`purchase-${order.invoiceId}`),
      (status) => status === 'RUNNING',
      'the workflow, started by the relay',
    );
    await eventually(
      () => waitingStarts(order.invoiceId),
      (n) => n === 0,
      'the outbox row gone',
    );
  });

  it('does not keep a deposit waiting while Temporal is frozen, and is relayed once it answers', async () => {
    proxy.set('frozen');
    const userId = await customer();
    const began = Date.now();
    const deposit = await s.orders.deposit({ userId, amount: 40_000 });
    expect(Date.now() - began).toBeLessThan(8_000);
    expect(deposit).toMatchObject({ status: 'pending', kind: 'deposit' });
    expect(await waitingStarts(deposit.invoiceId)).toBe(1);

    proxy.set('up');
    await eventually(
      () => workflowStatus(`deposit-${deposit.invoiceId}`),
      (status) => status === 'RUNNING',
      'the deposit workflow, started by the relay',
    );
    await eventually(
      () => waitingStarts(deposit.invoiceId),
      (n) => n === 0,
      'the outbox row gone',
    );
  });

  it('replaced while it was never started: started and cancelled once Temporal is back', async () => {
    proxy.set('down');
    const userId = await customer();
    const first = await s.orders.checkout({ userId, productId, quantity: 1, paymentMethod: 'qris' });
    const second = await s.orders.checkout({ userId, productId, quantity: 1, paymentMethod: 'qris' });
    expect(
      await s.sql('SELECT cancel_reason FROM orders.workflow_starts WHERE invoice_id = $1', [
        first.invoiceId,
      ]),
    ).toEqual([{ cancel_reason: 'replaced' }]);

    proxy.set('up');
    for (const order of [first, second])
      await eventually(
        () => waitingStarts(order.invoiceId),
        (n) => n === 0,
        'the outbox emptied',
      );
    // No worker here: the cancel waits in the first workflow's history, for it to give back its stock.
    const history = await s.temporal.workflow.getHandle(`purchase-${first.invoiceId}`).fetchHistory();
    const signals = (history.events ?? []).flatMap(
      (e) => e.workflowExecutionSignaledEventAttributes?.signalName ?? [],
    );
    expect(signals).toEqual(['cancel']);
    expect(await workflowStatus(`purchase-${second.invoiceId}`)).toBe('RUNNING');
  });

  it('is started at once when Temporal answers, leaving nothing in the outbox', async () => {
    const order = await s.orders.checkout({
      userId: await customer(),
      productId,
      quantity: 1,
      paymentMethod: 'qris',
    });
    expect(await workflowStatus(`purchase-${order.invoiceId}`)).toBe('RUNNING');
    expect(await waitingStarts(order.invoiceId)).toBe(0);
  });
});

/** An order as a version before the outbox left it: committed, never started, its stock reserved. */
async function leftoverOrder(age: string): Promise<string> {
  const userId = await customer();
  const invoiceId = `INVOLD${Date.now().toString(36).toUpperCase()}${nextUser}`;
  await s.reservations.reserve({ invoiceId, productId, quantity: 1 });
  await s.sql(
    `WITH o AS (
       INSERT INTO orders.orders (invoice_id, user_id, kind, subtotal, payment_fee, total, payment_method, created_at)
       VALUES ($1, $2, 'purchase', 30000, 520, 30520, 'qris', now() - $3::interval) RETURNING id)
     INSERT INTO orders.order_items (order_id, product_id, product_name, quantity, price_per_unit)
     SELECT id, $4, 'Netflix 1 Bulan', 1, 30000 FROM o`,
    [invoiceId, userId, age, productId],
  );
  return invoiceId;
}

describe('the sweep of what an older version left behind', () => {
  it('starts the workflow of a pending order that never had one', async () => {
    const invoiceId = await leftoverOrder('2 minutes');
    await eventually(
      () => workflowStatus(`purchase-${invoiceId}`),
      (status) => status === 'RUNNING',
      'the leftover order’s workflow',
    );
    expect((await s.orders.order(invoiceId)).status).toBe('pending');
    expect(await reservationStatus(invoiceId)).toBe('reserved');
  });

  it('closes, never starts, an order older than its payment window that never had a workflow', async () => {
    const invoiceId = await leftoverOrder('1 hour');
    await eventually(
      () => s.orders.order(invoiceId),
      (o) => o.status === 'failed',
      'the stale order closed',
    );
    expect(await workflowStatus(`purchase-${invoiceId}`)).toBe('NONE');
    await eventually(
      () => reservationStatus(invoiceId),
      (r) => r === 'released',
      'its stock released',
    );
  });

  it('closes a pending order whose workflow ended without it, releases its stock, audited', async () => {
    const order = await s.orders.checkout({
      userId: await customer(),
      productId,
      quantity: 2,
      paymentMethod: 'qris',
    });
    await s.temporal.workflow.getHandle(`purchase-${order.invoiceId}`).terminate('an operator ended it');
    await s.sql(`UPDATE orders.orders SET created_at = now() - interval '2 minutes' WHERE invoice_id = $1`, [
      order.invoiceId,
    ]);
    await eventually(
      () => s.orders.order(order.invoiceId),
      (o) => o.status === 'failed',
      'the orphaned order closed',
    );
    await eventually(
      () => reservationStatus(order.invoiceId),
      (r) => r === 'released',
      'its stock released',
    );
    await eventually(
      () =>
        s.auditSql<{ actor: string; after: unknown }>(
          "SELECT actor, after FROM audit_log WHERE action = 'order.status' AND target_id = $1 AND after->>'status' = 'failed'",
          [order.invoiceId],
        ),
      (rows) => rows.length === 1,
      'the close audited',
    );
  });

  it('releases stock reserved for an invoice that has no order, once it is old enough', async () => {
    const before = await s.catalog.product(productId);
    const [old, recent] = ['INVORPHANOLD', 'INVORPHANNEW'].map((p) => `${p}${Date.now().toString(36)}`);
    await s.reservations.reserve({ invoiceId: old!, productId, quantity: 2 });
    await s.reservations.reserve({ invoiceId: recent!, productId, quantity: 1 });
    await s.sql(
      `UPDATE catalog.reservations SET created_at = now() - interval '10 minutes' WHERE invoice_id = $1`,
      [old],
    );
    await eventually(
      () => reservationStatus(old!),
      (r) => r === 'released',
      'the orphan released',
    );
    // A young one may be an older version's checkout about to insert its order.
    expect(await reservationStatus(recent!)).toBe('reserved');
    expect((await s.catalog.product(productId)).stock).toBe(before.stock - 1);
  });

  it('keeps the item a warranty replacement holds under its claim id', async () => {
    const order = await s.orders.checkout({
      userId: await customer(),
      productId,
      quantity: 1,
      paymentMethod: 'qris',
    });
    await s.worker.transition(order.invoiceId, { to: 'paid' });
    const { claim } = await s.orders.openWarrantyClaim({
      userId: order.userId,
      invoiceId: order.invoiceId,
      problem: 'tidak bisa login',
    });
    const orphan = `INVORPHANWC${Date.now().toString(36)}`;
    await s.reservations.reserve({ invoiceId: claim.id, productId, quantity: 1 });
    await s.reservations.reserve({ invoiceId: orphan, productId, quantity: 1 });
    await s.sql(
      `UPDATE catalog.reservations SET created_at = now() - interval '10 minutes' WHERE invoice_id IN ($1, $2)`,
      [claim.id, orphan],
    );
    await eventually(
      () => reservationStatus(orphan),
      (r) => r === 'released',
      'the orphan released',
    );
    expect(await reservationStatus(claim.id)).toBe('reserved');
  });

  it("releases an order's stock once the order closed unpaid, and keeps a pending order's", async () => {
    const [pending, closed] = await Promise.all(
      [1, 2].map(async () =>
        s.orders.checkout({ userId: await customer(), productId, quantity: 1, paymentMethod: 'qris' }),
      ),
    );
    // No worker: closed by hand, nothing gave its stock back.
    await s.worker.transition(closed!.invoiceId, { to: 'expired' });
    await s.sql(
      `UPDATE catalog.reservations SET created_at = now() - interval '10 minutes' WHERE invoice_id IN ($1, $2)`,
      [pending!.invoiceId, closed!.invoiceId],
    );
    await eventually(
      () => reservationStatus(closed!.invoiceId),
      (r) => r === 'released',
      'the closed one released',
    );
    expect(await reservationStatus(pending!.invoiceId)).toBe('reserved');
  });
});

import { WorkflowNotFoundError } from '@temporalio/client';
import { startTestStack, type TestStack } from './stack';
import { startTemporalProxy, type TemporalProxy } from './temporal-proxy';

/**
 * An order exists ⇒ its run exists: a press's run opens its order (issue 18), so a press Temporal does
 * not answer leaves nothing; what an older version left behind (orders without a run, starts in the
 * outbox, stock held for no order) is swept. Orders reaches Temporal through a proxy the tests turn off;
 * the stack's worker only opens orders, so a run stays running until cancelled.
 */
let s: TestStack;
let proxy: TemporalProxy;
let productId: number;
beforeAll(async () => {
  proxy = await startTemporalProxy();
  s = await startTestStack({
    orders: {
      TEMPORAL_ADDRESS: proxy.address,
      WORKFLOW_START_GRACE: '1s',
      ORPHAN_SWEEP_INTERVAL: '1s',
      CHECKOUT_TIMEOUT: '3s',
    },
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

/** What a press left open: its order if still pending (a run that opened and was then cancelled closes it). */
const pendingOrdersOf = (userId: number) =>
  s.sql<{ invoice_id: string }>(
    `SELECT invoice_id FROM orders.orders WHERE user_id = $1 AND status = 'pending'`,
    [userId],
  );

describe('a press while Temporal is away (issue 18)', () => {
  // The presses Temporal answers come first: right after the proxy was frozen, the client's first call
  // can fail at once while its channel reconnects (a "busy" the customer answers by pressing again).
  it('opens at once when Temporal answers: the run is running and nothing waits in an outbox', async () => {
    const order = await s.orders.checkout({
      userId: await customer(),
      productId,
      quantity: 1,
      paymentMethod: 'qris',
    });
    expect(await workflowStatus(`purchase-${order.invoiceId}`)).toBe('RUNNING');
    expect(await waitingStarts(order.invoiceId)).toBe(0);
    expect(await reservationStatus(order.invoiceId)).toBe('reserved');
  });

  it("replaces the customer's pending QRIS invoice: the new press's run cancels the older run", async () => {
    const userId = await customer();
    const first = await s.orders.checkout({ userId, productId, quantity: 1, paymentMethod: 'qris' });
    const second = await s.orders.checkout({ userId, productId, quantity: 1, paymentMethod: 'qris' });
    await eventually(
      () => workflowStatus(`purchase-${first.invoiceId}`),
      (status) => status === 'COMPLETED',
      'the replaced run cancelled',
    );
    const history = await s.temporal.workflow.getHandle(`purchase-${first.invoiceId}`).fetchHistory();
    const signals = (history.events ?? []).flatMap(
      (e) => e.workflowExecutionSignaledEventAttributes?.signalName ?? [],
    );
    expect(signals).toEqual(['cancel']);
    expect(await workflowStatus(`purchase-${second.invoiceId}`)).toBe('RUNNING');
  });

  it('is answered "busy" within seconds and leaves nothing: no order, no reservation, no run', async () => {
    proxy.set('down');
    const userId = await customer();
    const before = await s.catalog.product(productId);
    const began = Date.now();
    await expect(
      s.orders.checkout({ userId, productId, quantity: 2, paymentMethod: 'qris' }),
    ).rejects.toMatchObject({ reason: 'busy' });
    expect(Date.now() - began).toBeLessThan(6_000);

    proxy.set('up');
    await sleep(2_000);
    expect(await pendingOrdersOf(userId)).toEqual([]);
    expect(await s.catalog.product(productId)).toMatchObject({ stock: before.stock });
    expect(await s.sql('SELECT 1 FROM orders.workflow_starts')).toEqual([]);
  });

  it('frozen past the press: whatever of it reaches Temporal later keeps nothing, since the customer heard "busy"', async () => {
    proxy.set('frozen');
    const userId = await customer();
    const before = await s.catalog.product(productId);
    const began = Date.now();
    await expect(
      s.orders.checkout({ userId, productId, quantity: 1, paymentMethod: 'qris' }),
    ).rejects.toMatchObject({ reason: 'busy' });
    expect(Date.now() - began).toBeLessThan(8_000);

    // Checkout's give-up (a cancel by signal-with-start) gets through once Temporal answers again.
    proxy.set('up');
    await eventually(
      async () => ({ pending: await pendingOrdersOf(userId), product: await s.catalog.product(productId) }),
      (left) => left.pending.length === 0 && left.product.stock === before.stock,
      'nothing of the press left',
    );
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

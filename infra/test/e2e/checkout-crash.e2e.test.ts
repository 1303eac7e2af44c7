import type { FaultStep } from '@quickcart/orders/orders/fault-hold';
import type { TelegramTestUser } from '@quickcart/sandbox';
import { Client, Connection, WorkflowNotFoundError } from '@temporalio/client';
import { Client as PgClient } from 'pg';
import { newUserId } from './bot-system';
import { eventually } from './eventually';
import { parseLogLine, startProcessSystem, type ProcessSystem } from './process-system';

/**
 * "Exactly once across crashes" for the purchase a press starts (issue 18; issue 12 before it): the
 * real processes from dist/, orders killed (SIGKILL) inside one step of a press, held there by the
 * test-only fault switch QC_FAULT_HOLD, then started again without it; the worker killed before a
 * press. Within a bound the shop converges: a press whose order was committed gets it with its stock
 * and its QR when the press is handed over again (as the gateway's inbox does after an outage); a press
 * killed before its order committed, or one Temporal's side did not answer in time, leaves nothing.
 */
/** What a restarted orders needs at most: its relay's grace for in-flight checkouts, then one tick. */
const CONVERGES_WITHIN_MS = 60_000;

let sys: ProcessSystem;
let pg: PgClient;
let temporal: Client;
let passed = 0;

beforeAll(async () => {
  sys = await startProcessSystem({ name: 'checkout-crash' });
  pg = new PgClient({ connectionString: sys.databaseUrl });
  await pg.connect();
  temporal = new Client({ connection: await Connection.connect({ address: process.env.TEMPORAL_ADDRESS }) });
}, 60_000);
afterAll(async () => {
  await pg?.end();
  await temporal?.connection.close();
  await sys?.close({ keepLogs: passed < 5 });
});

const sql = async <R extends object>(text: string, values: unknown[] = []) =>
  (await pg.query<R>(text, values)).rows;

async function productWithStock(name: string, count: number): Promise<number> {
  const { id } = await sys.catalog.addProduct({ name: `${name} ${Date.now()}`, price: 15_000 });
  await sys.catalog.addStock(
    id,
    Array.from({ length: count }, (_, i) => `crash-${id}-${i}:pw`),
  );
  return id;
}

async function newCustomer(): Promise<TelegramTestUser> {
  const customer = sys.telegram.user({ id: newUserId(), firstName: 'Rina' });
  await sys.orders.upsertUser({ id: customer.id, name: 'Rina' });
  return customer;
}

const holdsReached = (step: FaultStep) =>
  (sys.readLogs().orders ?? [])
    .map(parseLogLine)
    .filter((e) => e?.message === 'fault hold reached' && e.step === step).length;

/**
 * Restarts orders holding `step`, sends the request, waits until it hangs in that step, kills orders
 * there and starts it again as production runs it. The request itself fails (its connection died).
 */
async function killInside(step: FaultStep, request: () => Promise<unknown>): Promise<void> {
  await sys.system.restart('orders', { QC_FAULT_HOLD: step });
  const before = holdsReached(step);
  const answer = request().then(
    () => 'answered',
    () => 'failed',
  );
  await eventually(
    () => holdsReached(step),
    (n) => n > before,
    `orders holding ${step}`,
  );
  await sys.system.kill('orders');
  expect(await answer).toBe('failed');
  await sys.system.restart('orders', { QC_FAULT_HOLD: undefined });
}

async function ordersOf(userId: number) {
  return sql<{ invoice_id: string; kind: string; status: string }>(
    'SELECT invoice_id, kind, status FROM orders.orders WHERE user_id = $1 ORDER BY id',
    [userId],
  );
}

async function workflowStatus(workflowId: string): Promise<string> {
  try {
    return (await temporal.workflow.getHandle(workflowId).describe()).status.name;
  } catch (error) {
    if (error instanceof WorkflowNotFoundError) return 'NONE';
    throw error;
  }
}

const reservedItems = async (productId: number) =>
  (
    await sql<{ invoice_id: string }>(
      `SELECT invoice_id FROM catalog.stock_items WHERE product_id = $1 AND status = 'reserved'`,
      [productId],
    )
  ).map((r) => r.invoice_id);

/**
 * The committed order has what a press that never crashed gives it: its run, its stock, and the QR,
 * answered again to the press handed over again (same request key: no second order).
 */
async function expectConverged(
  customer: TelegramTestUser,
  again: () => Promise<{ invoiceId: string; qr: { qrString: string } | null }>,
  o: { kind: 'purchase' | 'deposit'; productId?: number; quantity?: number },
): Promise<string> {
  const answer = await eventually(
    () => again().catch((error: Error) => error),
    (a) => !(a instanceof Error) && a.qr !== null,
    'the press answered again with its QR',
    CONVERGES_WITHIN_MS,
  );
  if (answer instanceof Error) throw answer;
  const [order, ...more] = await ordersOf(customer.id);
  expect(more).toEqual([]);
  expect(order).toMatchObject({ kind: o.kind, status: 'pending', invoice_id: answer.invoiceId });
  const invoiceId = order!.invoice_id;
  expect(await workflowStatus(`${o.kind}-${invoiceId}`)).toBe('RUNNING');
  if (o.productId !== undefined) {
    expect(await reservedItems(o.productId)).toEqual(Array(o.quantity).fill(invoiceId));
    const [reservation] = await sql(
      `SELECT status, quantity FROM catalog.reservations WHERE invoice_id = $1`,
      [invoiceId],
    );
    expect(reservation).toEqual({ status: 'reserved', quantity: o.quantity });
  }
  return invoiceId;
}

/** Nothing of the press stays: no order, no stock held, no run left open. */
async function expectNothingLeft(customer: TelegramTestUser, productId?: number): Promise<void> {
  await eventually(
    async () => ({
      orders: (await ordersOf(customer.id)).filter((o) => o.status === 'pending'),
      held: productId === undefined ? [] : await reservedItems(productId),
    }),
    (left) => left.orders.length === 0 && left.held.length === 0,
    'nothing left of the press',
    CONVERGES_WITHIN_MS,
  );
}

let keys = 0;
/** A press as the gateway makes it: one request key per Telegram update, the same when handed over again. */
const press = (userId: number, productId: number, quantity: number) => {
  const requestKey = `crash-test:${userId}:${++keys}`;
  return () => sys.orders.checkout({ userId, productId, quantity, paymentMethod: 'qris', requestKey });
};

describe('orders killed inside a press', () => {
  it('inside the open, before the order commits: the run opens again, and the press handed over again gets its QR', async () => {
    const productId = await productWithStock('Crash before commit', 4);
    const customer = await newCustomer();
    const again = press(customer.id, productId, 2);
    await killInside('checkout.before-order-commit', again);

    // The transaction rolled back with orders; the run tries its open again once orders is back (or,
    // past CHECKOUT_ANSWER_TIMEOUT, opens nothing and the press handed over again opens it).
    const invoiceId = await expectConverged(customer, again, { kind: 'purchase', productId, quantity: 2 });
    await sys.orders.cancel(invoiceId);
    passed++;
  }, 120_000);

  it('inside the open, after the order commits: the run reserves, and the press handed over again gets its QR', async () => {
    const productId = await productWithStock('Crash after commit', 4);
    const customer = await newCustomer();
    const again = press(customer.id, productId, 2);
    await killInside('checkout.after-order-commit', again);

    const invoiceId = await expectConverged(customer, again, { kind: 'purchase', productId, quantity: 2 });
    await sys.orders.cancel(invoiceId);
    passed++;
  }, 120_000);

  it('before the run starts: nothing exists, and the press handed over again opens it', async () => {
    const productId = await productWithStock('Crash before start', 4);
    const customer = await newCustomer();
    const again = press(customer.id, productId, 3);
    await killInside('checkout.before-workflow-start', again);

    expect(await ordersOf(customer.id)).toEqual([]);
    expect(await reservedItems(productId)).toEqual([]);
    const invoiceId = await expectConverged(customer, again, { kind: 'purchase', productId, quantity: 3 });
    await sys.orders.cancel(invoiceId);
    passed++;
  }, 120_000);

  it('a deposit, before its run starts: nothing exists, and the press handed over again opens it', async () => {
    const customer = await newCustomer();
    const requestKey = `crash-test:${customer.id}:deposit`;
    const again = () => sys.orders.deposit({ userId: customer.id, amount: 25_000, requestKey });
    await killInside('checkout.before-workflow-start', again);

    expect(await ordersOf(customer.id)).toEqual([]);
    const invoiceId = await expectConverged(customer, again, { kind: 'deposit' });
    await sys.orders.cancel(invoiceId);
    passed++;
  }, 120_000);
});

describe('the worker down during a press', () => {
  it('is "busy" within seconds; once the worker is back nothing of the press stays', async () => {
    const productId = await productWithStock('Worker down', 4);
    const customer = await newCustomer();
    await sys.system.kill('worker');
    const began = Date.now();
    await expect(press(customer.id, productId, 1)()).rejects.toMatchObject({ reason: 'busy' });
    expect(Date.now() - began).toBeLessThan(10_000);
    await sys.system.restart('worker', {});

    // The run starts on the restarted worker and finds the press sealed too long ago (or, opened just
    // before, the checkout's cancel gives everything back).
    await expectNothingLeft(customer, productId);
    expect(sys.system.exited()).toEqual([]);
    passed++;
  }, 120_000);
});

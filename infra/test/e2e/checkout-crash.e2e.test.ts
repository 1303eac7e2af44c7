import type { FaultStep } from '@quickcart/orders/orders/fault-hold';
import type { TelegramTestUser } from '@quickcart/sandbox';
import { Client, Connection, WorkflowNotFoundError } from '@temporalio/client';
import { Client as PgClient } from 'pg';
import { newUserId } from './bot-system';
import { eventually } from './eventually';
import { parseLogLine, startProcessSystem, type ProcessSystem } from './process-system';

/**
 * Issue 12, items 3 and 4, "exactly once across crashes": the real processes from dist/, orders killed
 * (SIGKILL) inside one step of a checkout, held there by the test-only fault switch QC_FAULT_HOLD, then
 * started again without it and with its default timings. Within a bound the shop converges: an order
 * that was committed has its workflow, its stock reserved and its QR sent to the customer; a checkout
 * killed before its order committed leaves nothing reserved.
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
  await sys?.close({ keepLogs: passed < 4 });
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

/** The committed order has what a checkout that never crashed gives it: workflow, stock, QR. */
async function expectConverged(
  customer: TelegramTestUser,
  o: { kind: 'purchase' | 'deposit'; productId?: number; quantity?: number },
): Promise<string> {
  const [order, ...more] = await ordersOf(customer.id);
  expect(more).toEqual([]);
  expect(order).toMatchObject({ kind: o.kind, status: 'pending' });
  const invoiceId = order!.invoice_id;
  await eventually(
    () => workflowStatus(`${o.kind}-${invoiceId}`),
    (status) => status === 'RUNNING',
    `the workflow of ${invoiceId}`,
    CONVERGES_WITHIN_MS,
  );
  const qr = await customer.waitForText(invoiceId, { timeoutMs: CONVERGES_WITHIN_MS });
  expect(qr.photo).toBeDefined();
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

const checkout = (userId: number, productId: number, quantity: number) => () =>
  sys.orders.checkout({ userId, productId, quantity, paymentMethod: 'qris' });

describe('orders killed inside a checkout', () => {
  it('before the order commits: nothing stays reserved, and the customer can buy at once', async () => {
    const productId = await productWithStock('Crash before commit', 4);
    const customer = await newCustomer();
    await killInside('checkout.before-order-commit', checkout(customer.id, productId, 2));

    expect(await ordersOf(customer.id)).toEqual([]);
    await eventually(
      () => reservedItems(productId),
      (items) => items.length === 0,
      'no stock held for an order that does not exist',
      CONVERGES_WITHIN_MS,
    );
    const order = await sys.orders.checkout({
      userId: customer.id,
      productId,
      quantity: 2,
      paymentMethod: 'qris',
    });
    await expectConverged(customer, { kind: 'purchase', productId, quantity: 2 });
    await sys.orders.cancel(order.invoiceId);
    passed++;
  }, 120_000);

  it('after the order commits, before its stock is reserved: it gets its workflow, stock and QR', async () => {
    const productId = await productWithStock('Crash after commit', 4);
    const customer = await newCustomer();
    await killInside('checkout.after-order-commit', checkout(customer.id, productId, 2));

    const invoiceId = await expectConverged(customer, { kind: 'purchase', productId, quantity: 2 });
    await sys.orders.cancel(invoiceId);
    passed++;
  }, 120_000);

  it('after the stock is reserved, before the workflow starts: it gets its workflow and QR', async () => {
    const productId = await productWithStock('Crash before start', 4);
    const customer = await newCustomer();
    await killInside('checkout.before-workflow-start', checkout(customer.id, productId, 3));

    const invoiceId = await expectConverged(customer, { kind: 'purchase', productId, quantity: 3 });
    await sys.orders.cancel(invoiceId);
    passed++;
  }, 120_000);

  it('a deposit, before its workflow starts: it gets its workflow and QR', async () => {
    const customer = await newCustomer();
    await killInside('checkout.before-workflow-start', () =>
      sys.orders.deposit({ userId: customer.id, amount: 25_000 }),
    );

    const invoiceId = await expectConverged(customer, { kind: 'deposit' });
    await sys.orders.cancel(invoiceId);
    expect(sys.system.exited()).toEqual([]);
    passed++;
  }, 120_000);
});

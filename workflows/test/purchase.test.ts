import type { TestWorkflowEnvironment } from '@temporalio/testing';
import {
  cancelPayment,
  paymentReceived,
  redeliver,
  statusQuery,
  type PurchaseInput,
} from '@quickcart/workflow-api';
import { fakeWorld, orderOf, type FakeWorld } from './fake-world';
import { track, withWorkers } from './payment-env';
import { timeSkippingEnv, unique } from './temporal';

const USER = 7001;
const ADMIN = 1;
const TEN_MINUTES = 10 * 60_000;

let env: TestWorkflowEnvironment;
beforeAll(async () => {
  env = await timeSkippingEnv();
});
afterAll(() => env?.teardown());

function input(over: Partial<PurchaseInput> = {}): PurchaseInput {
  return {
    invoiceId: unique('INV').replace(/-/g, ''),
    userId: USER,
    userName: 'Budi',
    productId: 101,
    productName: 'Netflix',
    quantity: 2,
    amount: 60_000,
    fee: 730,
    total: 60_730,
    paymentMethod: 'qris',
    paymentTimeoutMs: TEN_MINUTES,
    pollIntervalMs: 60_000,
    ...over,
  };
}

/** Real-time wait for the workflow to reach a point (time does not skip while we poll). */
async function until(check: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if (check()) return;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`timed out waiting for ${what}`);
}

const qrShown = (world: FakeWorld) => () => world.seenBy(USER).includes('payment.qris');

/** Like orders: the order is stored at checkout, then its workflow started with the same values. */
async function startPurchase(world: FakeWorld, taskQueue: string, i: PurchaseInput) {
  world.storeOrder(i.invoiceId, orderOf(i));
  track(`purchase-${i.invoiceId}`);
  return env.client.workflow.start('purchase', {
    taskQueue,
    workflowId: `purchase-${i.invoiceId}`,
    args: [i],
  });
}

describe('purchase by QRIS', () => {
  it('delivers when paid: stock sold, order paid, QR removed, admins told', async () => {
    const world = fakeWorld({ stock: 5 });
    const i = input();
    const result = await withWorkers(env, world, async (tq) => {
      const h = await startPurchase(world, tq, i);
      await until(qrShown(world), 'the QR');
      expect(await h.query(statusQuery)).toBe('awaiting_payment');
      world.pay(i.invoiceId);
      await h.signal(paymentReceived, { source: 'webhook' });
      return h.result();
    });
    expect(result).toEqual({ status: 'delivered' });
    expect(world.reservation(i.invoiceId)?.status).toBe('committed');
    expect(world.available).toBe(3);
    expect(world.order(i.invoiceId)).toBe('paid');
    expect(world.seenBy(USER)).toEqual(['payment.qris', 'edit:purchase.delivered']);
    expect(world.seenBy(ADMIN)).toEqual(['admin.order_paid']);
  });

  it('stores how Pakasir says it was paid (a virtual account and its fee) with the paid status', async () => {
    const world = fakeWorld({ stock: 5 });
    const i = input();
    const result = await withWorkers(env, world, async (tq) => {
      const h = await startPurchase(world, tq, i);
      await until(qrShown(world), 'the QR');
      world.pay(i.invoiceId, undefined, { method: 'bni_va', fee: 3_500 });
      await h.signal(paymentReceived, { source: 'webhook' });
      return h.result();
    });
    expect(result).toEqual({ status: 'delivered' });
    expect(world.order(i.invoiceId)).toBe('paid');
    expect(world.paidVia(i.invoiceId)).toEqual({ method: 'bni_va', fee: 3_500 });
  });

  it('expires after 10 minutes: stock released, invoice cancelled, QR deleted, expiry notice', async () => {
    const world = fakeWorld({ stock: 5 });
    const i = input();
    const result = await withWorkers(env, world, async (tq) => (await startPurchase(world, tq, i)).result());
    expect(result).toEqual({ status: 'expired' });
    expect(world.available).toBe(5);
    expect(world.reservation(i.invoiceId)?.status).toBe('released');
    expect(world.pakasir(i.invoiceId)?.status).toBe('canceled');
    expect(world.order(i.invoiceId)).toBe('expired');
    expect(world.seenBy(USER)).toEqual(['payment.qris', 'edit:invoice.expired']);
    expect(world.seenBy(ADMIN)).toEqual(['admin.order_expired']);
    expect(world.calls.paymentStatus).toBeGreaterThanOrEqual(10); // polled about once a minute
  });

  it('deletes the QR and sends the notice when the edit fails, and tells admins when deleting fails too', async () => {
    const world = fakeWorld();
    world.failures.edit = 3;
    await withWorkers(env, world, async (tq) => (await startPurchase(world, tq, input())).result());
    expect(world.seenBy(USER)).toEqual(['payment.qris', 'delete', 'invoice.expired']);

    const worse = fakeWorld();
    worse.failures.edit = 6;
    worse.failures.delete = 3;
    await withWorkers(env, worse, async (tq) => (await startPurchase(worse, tq, input())).result());
    expect(worse.seenBy(USER)).toEqual(['payment.qris', 'invoice.expired']);
    expect(worse.seenBy(ADMIN)).toEqual(['admin.qr_cleanup_failed', 'admin.order_expired']);
  });

  it('cancels on request: invoice cancelled, stock released, customer told', async () => {
    const world = fakeWorld({ stock: 5 });
    const i = input();
    const result = await withWorkers(env, world, async (tq) => {
      const h = await startPurchase(world, tq, i);
      await until(qrShown(world), 'the QR');
      await h.signal(cancelPayment, { reason: 'customer' });
      return h.result();
    });
    expect(result).toEqual({ status: 'cancelled' });
    expect(world.available).toBe(5);
    expect(world.pakasir(i.invoiceId)?.status).toBe('canceled');
    expect(world.order(i.invoiceId)).toBe('cancelled');
    expect(world.seenBy(USER)).toEqual(['payment.qris', 'edit:purchase.cancelled']);
  });

  it('delivers once when the payment is reported twice', async () => {
    const world = fakeWorld();
    const i = input();
    await withWorkers(env, world, async (tq) => {
      const h = await startPurchase(world, tq, i);
      await until(qrShown(world), 'the QR');
      world.pay(i.invoiceId);
      await h.signal(paymentReceived, { source: 'webhook' });
      await h.signal(paymentReceived, { source: 'webhook' });
      return h.result();
    });
    expect(world.calls.deliverPurchase).toBe(1);
    expect(world.seenBy(USER).filter((t) => t === 'edit:purchase.delivered')).toHaveLength(1);
  });

  it('refuses a payment of the wrong amount: nothing sold, the invoice expires', async () => {
    const world = fakeWorld({ stock: 5 });
    const i = input();
    const result = await withWorkers(env, world, async (tq) => {
      const h = await startPurchase(world, tq, i);
      await until(qrShown(world), 'the QR');
      world.pay(i.invoiceId, i.amount - 1_000);
      await h.signal(paymentReceived, { source: 'webhook' });
      return h.result();
    });
    expect(result.status).toBe('expired');
    expect(world.calls.commitStock).toBeUndefined();
    expect(world.available).toBe(5);
  });

  it('retries Pakasir 5xx on create, then goes on', async () => {
    const world = fakeWorld();
    world.failures.createQris = 2;
    world.behaviour.payOnCreate = true; // the retry backoff is skipped time: await the result, don't poll
    const i = input();
    const result = await withWorkers(env, world, async (tq) => (await startPurchase(world, tq, i)).result());
    expect(world.calls.createQrisInvoice).toBe(3);
    expect(result.status).toBe('delivered');
  });

  it('finds a payment by polling when the webhook is lost', async () => {
    const world = fakeWorld();
    world.behaviour.payOnCreate = true; // paid, and no signal ever comes
    const i = input();
    const result = await withWorkers(env, world, async (tq) => (await startPurchase(world, tq, i)).result());
    expect(result.status).toBe('delivered');
    expect(world.calls.paymentStatus).toBe(1); // found by the first poll
  });

  it('refunds a payment that lands while the invoice closes, minus the fee', async () => {
    const world = fakeWorld({ balance: 0 });
    const i = input();
    // The customer pays in the moment Pakasir is told to cancel: the cancel no longer applies.
    const cancel = world.payments.cancelQrisInvoice;
    world.payments.cancelQrisInvoice = async (a) => {
      world.pay(a.invoiceId);
      return cancel(a);
    };
    const result = await withWorkers(env, world, async (tq) => (await startPurchase(world, tq, i)).result());
    expect(result).toEqual({ status: 'expired', refunded: 60_000 });
    expect(world.balance).toBe(60_000); // paid 60.730, the 730 fee kept
    expect(world.ledger()).toEqual([{ userId: USER, delta: 60_000, reason: 'late_payment' }]);
    expect(world.seenBy(USER)).toContain('late_payment.refunded');
    expect(world.seenBy(ADMIN)).toContain('admin.late_payment');
  });

  it('parks a delivery that keeps failing as delivery_failed until an operator sends redeliver', async () => {
    const world = fakeWorld();
    const i = input();
    const result = await withWorkers(env, world, async (tq) => {
      const h = await startPurchase(world, tq, i);
      await until(qrShown(world), 'the QR');
      world.blocked.add(USER); // after the QR: a customer who blocked the bot before never sees one
      world.pay(i.invoiceId);
      await h.signal(paymentReceived, { source: 'webhook' });
      await until(() => world.seenBy(ADMIN).includes('admin.delivery_failed'), 'the failure notice');
      expect(await h.query(statusQuery)).toBe('delivery_failed');
      expect(world.order(i.invoiceId)).toBe('paid'); // the money is taken, the goods are owed
      world.blocked.delete(USER);
      await h.signal(redeliver);
      return h.result();
    });
    expect(result.status).toBe('delivered');
    expect(world.seenBy(USER)).toContain('edit:purchase.delivered');
  });

  it('fails cleanly when the stock cannot cover the quantity', async () => {
    const world = fakeWorld({ stock: 1 });
    const i = input({ quantity: 2 });
    const result = await withWorkers(env, world, async (tq) => (await startPurchase(world, tq, i)).result());
    expect(result.status).toBe('failed');
    expect(world.order(i.invoiceId)).toBe('failed');
    expect(world.seenBy(USER)).toEqual(['purchase.out_of_stock']);
    expect(world.calls.createQrisInvoice).toBeUndefined();
  });
});

describe('purchase from the balance', () => {
  it('debits the balance and delivers at once', async () => {
    const world = fakeWorld({ balance: 100_000 });
    const i = input({ paymentMethod: 'balance', fee: 0, total: 60_000 });
    const result = await withWorkers(env, world, async (tq) => (await startPurchase(world, tq, i)).result());
    expect(result.status).toBe('delivered');
    expect(world.balance).toBe(40_000);
    expect(world.ledger()).toEqual([{ userId: USER, delta: -60_000, reason: 'purchase' }]);
    expect(world.seenBy(USER)).toEqual(['purchase.delivered']);
  });

  it('refuses without enough balance: nothing debited, nothing held', async () => {
    const world = fakeWorld({ balance: 10_000, stock: 5 });
    const i = input({ paymentMethod: 'balance', fee: 0, total: 60_000 });
    const result = await withWorkers(env, world, async (tq) => (await startPurchase(world, tq, i)).result());
    expect(result.status).toBe('failed');
    expect(world.balance).toBe(10_000);
    expect(world.available).toBe(5);
    expect(world.seenBy(USER)).toEqual(['purchase.insufficient_balance']);
  });
});

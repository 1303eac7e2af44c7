import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { WorkflowFailedError } from '@temporalio/client';
import { paymentReceived } from '@quickcart/workflow-api';
import { depositOf, purchaseOf, startDeposit, startPurchase, until, untilWaiting } from './checkouts';
import { fakeWorld } from './fake-world';
import { withWorkers } from './payment-env';
import { timeSkippingEnv } from './temporal';

// Issue 11, defect 3: any way out of a payment workflow that is not "paid" gives back what it held
// (the Pakasir invoice, the stock; the order closes as failed, which gives the voucher back), tells the
// customer, and still fails the run so operators see it. Nothing is undone once the payment is confirmed.

const USER = 7012;

let env: TestWorkflowEnvironment;
beforeAll(async () => {
  env = await timeSkippingEnv();
});
afterAll(() => env?.teardown());

/** The run failed, and the failure says why (the activity's own refusal is its cause). */
async function failedRun(result: Promise<unknown>) {
  const error = await result.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(WorkflowFailedError);
  return error as WorkflowFailedError;
}

describe('a purchase that fails before it is paid', () => {
  it('releases the stock, fails the order and tells the customer when Pakasir refuses the invoice', async () => {
    const world = fakeWorld({ stock: 5 });
    world.refuse('createQrisInvoice');
    const i = purchaseOf(USER);
    const failure = await withWorkers(env, world, async (tq) =>
      failedRun((await startPurchase(env, world, tq, i)).result()),
    );
    expect(failure.cause?.message).toMatch(/before payment/);
    expect(world.reservation(i.invoiceId)?.status).toBe('released');
    expect(world.available).toBe(5);
    expect(world.order(i.invoiceId)).toBe('failed');
    expect(world.seenBy(USER)).toEqual(['purchase.cancelled']);
  });

  it('cancels the invoice it created when the QR cannot be shown (the customer blocked the bot)', async () => {
    const world = fakeWorld({ stock: 5 });
    world.blocked.add(USER);
    const i = purchaseOf(USER);
    await withWorkers(env, world, async (tq) => failedRun((await startPurchase(env, world, tq, i)).result()));
    expect(world.pakasir(i.invoiceId)?.status).toBe('canceled');
    expect(world.available).toBe(5);
    expect(world.order(i.invoiceId)).toBe('failed');
  });

  it('refunds a payment that reached the invoice just before an operator cancelled the run', async () => {
    const world = fakeWorld({ stock: 5 });
    const i = purchaseOf(USER);
    await withWorkers(env, world, async (tq) => {
      const h = await startPurchase(env, world, tq, i);
      await untilWaiting(h);
      world.pay(i.invoiceId); // its webhook is lost; the next poll is a minute away
      await h.cancel();
      await h.result().catch(() => undefined);
    });
    expect(world.order(i.invoiceId)).toBe('cancelled');
    expect(world.available).toBe(5);
    expect(world.ledger()).toEqual([{ userId: USER, delta: 60_000, reason: 'late_payment' }]);
  });

  it('gives the balance debit back and releases the stock when selling the items fails after the debit', async () => {
    const world = fakeWorld({ stock: 5, balance: 100_000 });
    world.refuse('commitStock');
    const i = purchaseOf(USER, { paymentMethod: 'balance', fee: 0, total: 60_000 });
    await withWorkers(env, world, async (tq) => failedRun((await startPurchase(env, world, tq, i)).result()));
    expect(world.order(i.invoiceId)).toBe('failed');
    expect(world.balance).toBe(100_000);
    expect(world.ledger()).toEqual([
      { userId: USER, delta: -60_000, reason: 'purchase' },
      { userId: USER, delta: 60_000, reason: 'refund' },
    ]);
    expect(world.available).toBe(5);
  });

  it('releases the stock and fails the order when the balance debit is refused for another reason', async () => {
    const world = fakeWorld({ stock: 5, balance: 100_000 });
    world.refuse('debitPurchase');
    const i = purchaseOf(USER, { paymentMethod: 'balance', fee: 0, total: 60_000 });
    await withWorkers(env, world, async (tq) => failedRun((await startPurchase(env, world, tq, i)).result()));
    expect(world.available).toBe(5);
    expect(world.balance).toBe(100_000);
    expect(world.order(i.invoiceId)).toBe('failed');
    expect(world.seenBy(USER)).toEqual(['purchase.cancelled']);
  });

  it('fails the order when the reservation itself is refused (say, invoice_reused)', async () => {
    const world = fakeWorld({ stock: 5 });
    world.refuse('reserveStock');
    const i = purchaseOf(USER);
    await withWorkers(env, world, async (tq) => failedRun((await startPurchase(env, world, tq, i)).result()));
    expect(world.available).toBe(5);
    expect(world.order(i.invoiceId)).toBe('failed');
    expect(world.calls.createQrisInvoice).toBeUndefined();
  });

  it('gives everything back when an operator cancels the run while it waits for payment', async () => {
    const world = fakeWorld({ stock: 5 });
    const i = purchaseOf(USER);
    await withWorkers(env, world, async (tq) => {
      const h = await startPurchase(env, world, tq, i);
      await untilWaiting(h);
      await h.cancel();
      await h.result().catch(() => undefined);
    });
    expect(world.pakasir(i.invoiceId)?.status).toBe('canceled');
    expect(world.available).toBe(5);
    expect(world.order(i.invoiceId)).toBe('cancelled');
  });

  it('undoes nothing for a failure after the payment was confirmed', async () => {
    const world = fakeWorld({ stock: 5 });
    world.refuse('commitStock');
    const i = purchaseOf(USER);
    await withWorkers(env, world, async (tq) => {
      const h = await startPurchase(env, world, tq, i);
      await until(() => world.seenBy(USER).includes('payment.qris'), 'the QR');
      world.pay(i.invoiceId);
      await h.signal(paymentReceived, { source: 'webhook' });
      await failedRun(h.result());
    });
    expect(world.reservation(i.invoiceId)?.status).toBe('reserved'); // the goods are owed, not put back
    expect(world.pakasir(i.invoiceId)?.status).toBe('completed');
    expect(world.order(i.invoiceId)).toBe('pending');
    expect(world.calls.releaseStock).toBeUndefined();
  });
});

describe('a deposit that fails before it is paid', () => {
  it('fails the order and tells the customer when Pakasir refuses the invoice', async () => {
    const world = fakeWorld();
    world.refuse('createQrisInvoice');
    const i = depositOf(USER);
    await withWorkers(env, world, async (tq) => failedRun((await startDeposit(env, world, tq, i)).result()));
    expect(world.order(i.invoiceId)).toBe('failed');
    expect(world.seenBy(USER)).toEqual(['deposit.expired']);
    expect(world.balance).toBe(0);
  });
});

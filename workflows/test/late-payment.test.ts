import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { type DepositInput, FAILURE, ledgerKeys, workflowIds } from '@quickcart/workflow-api';
import { depositOrderOf, fakeWorld, type FakeWorld } from './fake-world';
import { track, withWorkers } from './payment-env';
import { timeSkippingEnv, unique } from './temporal';

const USER = 7011;
let env: TestWorkflowEnvironment;
beforeAll(async () => {
  env = await timeSkippingEnv();
});
afterAll(() => env?.teardown());

const deposit = (): DepositInput => ({
  invoiceId: unique('INVLP').replace(/-/g, ''),
  userId: USER,
  userName: 'Sari',
  amount: 50_000,
  fee: 660,
  total: 50_660,
  paymentTimeoutMs: 10 * 60_000,
  pollIntervalMs: 60_000,
});

/** The customer paid the invoice at Pakasir. */
async function paidAtPakasir(world: FakeWorld, i: DepositInput) {
  await world.payments.createQrisInvoice({ invoiceId: i.invoiceId, amount: i.amount });
  world.pay(i.invoiceId);
}

/**
 * Orders starts `late-<invoice>` when a confirmed payment finds the order's workflow closed. `meanwhile`
 * runs once the run has asked orders for the refund (a pending order: while it waits).
 */
async function latePayment(world: FakeWorld, i: DepositInput, meanwhile?: () => void) {
  return withWorkers(env, world, async (taskQueue) => {
    const workflowId = workflowIds.latePayment(i.invoiceId);
    track(workflowId);
    const h = await env.client.workflow.start('latePayment', {
      taskQueue,
      workflowId,
      args: [{ invoiceId: i.invoiceId, userId: i.userId, amount: i.amount }],
    });
    if (meanwhile) {
      while ((world.calls.refundLatePayment ?? 0) === 0) await new Promise((r) => setTimeout(r, 20));
      meanwhile();
    }
    return h.result().catch((error: Error) => error);
  });
}

describe('a late payment is refunded only where orders says it is late', () => {
  it('never refunds a deposit its own workflow credited (still pending for a moment): Rp50.000 stays Rp50.000', async () => {
    const world = fakeWorld();
    const i = deposit();
    world.storeOrder(i.invoiceId, depositOrderOf(i));
    await paidAtPakasir(world, i);
    // The deposit's credit is in; the order becomes paid a step later. A status-button press whose
    // Pakasir answer took seconds lands in between and starts latePayment.
    await world.payments.postLedger({
      userId: USER,
      delta: i.amount,
      reason: 'deposit',
      invoiceId: i.invoiceId,
      key: ledgerKeys.payment(i.invoiceId),
    });
    // The refund waits while the order is pending; the deposit's run then marks it paid.
    const result = await latePayment(world, i, () =>
      world.storeOrder(i.invoiceId, { ...depositOrderOf(i), status: 'paid' }),
    );
    expect(world.balance).toBe(50_000);
    expect(world.ledger()).toEqual([{ userId: USER, delta: 50_000, reason: 'deposit' }]);
    expect(result).toMatchObject({ cause: { cause: { type: FAILURE.refused } } });
    expect(world.seenBy(USER)).toEqual([]);
  });

  it('refunds nothing while the order is pending, and refunds once the sweep closed it (its run was ended)', async () => {
    const world = fakeWorld();
    const i = deposit();
    world.storeOrder(i.invoiceId, depositOrderOf(i));
    await world.payments.recordQrMessage({ invoiceId: i.invoiceId, messageId: 900 });
    await paidAtPakasir(world, i);
    let ledgerWhilePending: unknown;
    const result = await latePayment(world, i, () => {
      ledgerWhilePending = world.ledger();
      world.storeOrder(i.invoiceId, { ...depositOrderOf(i), status: 'failed' });
    });
    expect(ledgerWhilePending).toEqual([]);
    expect(result).toEqual({ status: 'refunded', refunded: 50_000 });
    expect(world.ledger()).toEqual([{ userId: USER, delta: 50_000, reason: 'late_payment' }]);
  });

  it('refunds an expired order once, however the refund is asked for', async () => {
    const world = fakeWorld();
    const i = deposit();
    world.storeOrder(i.invoiceId, { ...depositOrderOf(i), status: 'expired' });
    await paidAtPakasir(world, i);
    // The expiring workflow's own last check got there first, through orders.
    await world.payments.refundLatePayment({ invoiceId: i.invoiceId });
    expect(await latePayment(world, i)).toEqual({ status: 'refunded', refunded: 50_000 });
    expect(world.balance).toBe(50_000);
    expect(world.refunded(i.invoiceId)).toBe(50_000);
    expect(world.seenBy(USER)).toEqual(['late_payment.refunded']);
  });

  it('refunds nothing while Pakasir gives no answer to read, and ends so that reconciliation asks again', async () => {
    const world = fakeWorld();
    const i = deposit();
    world.storeOrder(i.invoiceId, { ...depositOrderOf(i), status: 'expired' });
    await paidAtPakasir(world, i);
    world.behaviour.pakasirUnknown = true;
    expect(await latePayment(world, i)).toEqual({ status: 'payment_unknown' });
    expect(world.ledger()).toEqual([]);
    expect(world.refunded(i.invoiceId)).toBeUndefined();
  });

  it('refunds a failed order whose QR was shown, not one that failed before it', async () => {
    const world = fakeWorld();
    const shown = deposit();
    const never = deposit();
    for (const i of [shown, never]) {
      world.storeOrder(i.invoiceId, { ...depositOrderOf(i), status: 'failed' });
      await paidAtPakasir(world, i);
    }
    await world.payments.recordQrMessage({ invoiceId: shown.invoiceId, messageId: 900 });
    expect(await latePayment(world, shown)).toEqual({ status: 'refunded', refunded: 50_000 });
    expect(await latePayment(world, never)).toBeInstanceOf(Error);
    expect(world.balance).toBe(50_000);
  });
});

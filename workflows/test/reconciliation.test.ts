import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { ReconcileResult } from '@quickcart/workflow-api';
import { depositOrderOf, fakeWorld, type FakeWorld } from './fake-world';
import { track, withWorkers } from './payment-env';
import { timeSkippingEnv, unique } from './temporal';

// The time-skipping server has no Schedules: the workflow is tested here, the Schedule end to end.
const USER = 7021;
let env: TestWorkflowEnvironment;
beforeAll(async () => {
  env = await timeSkippingEnv();
});
afterAll(() => env?.teardown());

type Status = 'pending' | 'paid' | 'expired' | 'cancelled' | 'failed';

/** A Rp amount deposit as orders stores it, closed `status`; paid at Pakasir or not. */
async function order(world: FakeWorld, status: Status, paid: boolean, amount = 20_000): Promise<string> {
  const invoiceId = unique('INVREC').replace(/-/g, '');
  world.storeOrder(invoiceId, {
    ...depositOrderOf({
      invoiceId,
      userId: USER,
      userName: 'Tono',
      amount,
      fee: 0,
      total: amount,
      paymentTimeoutMs: 1,
      pollIntervalMs: 1,
    }),
    status,
  });
  await world.payments.createQrisInvoice({ invoiceId, amount });
  if (paid) world.pay(invoiceId);
  return invoiceId;
}

/** One run of the reconciliation; `continued`: its last run was a continue-as-new of an earlier one. */
async function sweepOnce(world: FakeWorld, tuning?: { pageSize: number; historyLimit: number }) {
  return withWorkers(env, world, async (taskQueue) => {
    const workflowId = unique('reconcile');
    track(workflowId);
    const h = await env.client.workflow.start('reconcilePayments', {
      taskQueue,
      workflowId,
      args: [{ windowHours: 48, ...tuning }],
    });
    const result = (await h.result()) as ReconcileResult;
    const { events } = await env.client.workflow.getHandle(workflowId).fetchHistory();
    const continued = !!events?.[0]?.workflowExecutionStartedEventAttributes?.continuedExecutionRunId;
    return { result, continued };
  });
}
const sweep = async (world: FakeWorld) => (await sweepOnce(world)).result;

describe('reconciling payments after their workflows closed', () => {
  it('refunds each invoice closed unpaid that Pakasir says is paid, once, and nothing else', async () => {
    const world = fakeWorld();
    const lost = await order(world, 'expired', true, 20_000);
    const lostToo = await order(world, 'cancelled', true, 35_000);
    await order(world, 'expired', false);
    const stillWaiting = await order(world, 'pending', true);
    const delivered = await order(world, 'paid', true);

    expect(await sweep(world)).toEqual({ checked: 3, refunded: 2, unknown: 0 });
    expect(world.balance).toBe(55_000);
    expect(world.refunded(lost)).toBe(20_000);
    expect(world.refunded(lostToo)).toBe(35_000);
    for (const id of [stillWaiting, delivered]) expect(world.refunded(id)).toBeUndefined();
    expect(world.seenBy(USER)).toEqual(['late_payment.refunded', 'late_payment.refunded']);

    // The next sweep finds nothing more to refund: the refunded are no longer listed.
    expect(await sweep(world)).toEqual({ checked: 1, refunded: 0, unknown: 0 });
    expect(world.balance).toBe(55_000);
  });

  it('passes over an invoice Pakasir gives no readable answer for, to ask again next time', async () => {
    const world = fakeWorld();
    const paid = await order(world, 'expired', true);
    world.behaviour.pakasirUnknown = true;
    expect(await sweep(world)).toEqual({ checked: 1, refunded: 0, unknown: 1 });
    world.behaviour.pakasirUnknown = false;
    expect(await sweep(world)).toEqual({ checked: 1, refunded: 1, unknown: 0 });
    expect(world.refunded(paid)).toBe(20_000);
  });

  it('goes through a long list page by page, starting a fresh history when it grows', async () => {
    const world = fakeWorld();
    const paid: string[] = [];
    for (let n = 0; n < 7; n++) {
      const id = await order(world, 'expired', n % 2 === 0);
      if (n % 2 === 0) paid.push(id);
    }
    const { result, continued } = await sweepOnce(world, { pageSize: 2, historyLimit: 10 });
    expect(result).toEqual({ checked: 7, refunded: 4, unknown: 0 });
    expect(continued).toBe(true);
    expect(world.balance).toBe(4 * 20_000);
    for (const id of paid) expect(world.refunded(id)).toBe(20_000);
    expect(world.calls.latePaymentCandidates).toBeGreaterThanOrEqual(4);
  });
});

import type { TestWorkflowEnvironment } from '@temporalio/testing';
import {
  cancelPayment,
  CHECKOUT_SILENT_REASONS,
  openedQuery,
  paymentReceived,
  type OpeningStart,
  type PurchaseInput,
} from '@quickcart/workflow-api';
import { fakeWorld, orderOf, type FakeWorld } from './fake-world';
import { track, withWorkers } from './payment-env';
import { pressOpen, purchaseOf, TEN_MINUTES } from './checkouts';
import { timeSkippingEnv } from './temporal';

/**
 * Issue 18: a purchase run started by the customer's press (Update-with-Start) opens its order, answers
 * the press (the QR the gateway shows as its reply), and owns the purchase to the end.
 */
const USER = 7101;
const ADMIN = 1;
const TIMING = { paymentTimeoutMs: TEN_MINUTES, pollIntervalMs: 60_000 };

let env: TestWorkflowEnvironment;
beforeAll(async () => {
  env = await timeSkippingEnv();
});
afterAll(() => env?.teardown());

const order = (over: Partial<PurchaseInput> = {}) => purchaseOf(USER, over);

/** As checkout presses: the order stored as orders writes it from the sealed press, then the open. */
async function press(world: FakeWorld, taskQueue: string, i: PurchaseInput) {
  world.storeOrder(i.invoiceId, orderOf(i));
  return pressOpen(env, 'purchase', taskQueue, i);
}

describe('a purchase opened by its press', () => {
  it('answers a QRIS press with the QR, sends none itself, and turns the shown QR into the receipt', async () => {
    const world = fakeWorld({ stock: 5 });
    const i = order();
    const { result, answer } = await withWorkers(env, world, async (tq) => {
      const { answer, handle } = await press(world, tq, i);
      // The gateway sends the QR as its reply and records it with orders.
      world.gatewayShowedQr(900);
      expect(await handle.query(openedQuery)).toEqual(answer);
      world.pay(i.invoiceId);
      await handle.signal(paymentReceived, { source: 'webhook' });
      return { result: await handle.result(), answer };
    });
    expect(answer).toMatchObject({
      kind: 'opened',
      qr: { qrString: expect.any(String), data: { invoiceId: i.invoiceId, kind: 'purchase', quantity: 2 } },
    });
    expect(result).toEqual({ status: 'delivered' });
    expect(world.calls.reserveStock).toBeUndefined(); // reserved once, by the open
    expect(world.calls.loadPayment).toBeUndefined();
    expect(world.available).toBe(3);
    expect(world.order(i.invoiceId)).toBe('paid');
    expect(world.seenBy(USER)).toEqual(['edit:purchase.delivered']);
    expect(world.seenBy(ADMIN)).toEqual(['admin.order_paid']);
  });

  it('asks one patch and calls only the open and the delivery as activities (a lean run, issue 18)', async () => {
    const world = fakeWorld({ stock: 5 });
    const i = order();
    const history = await withWorkers(env, world, async (tq) => {
      const { handle } = await press(world, tq, i);
      world.gatewayShowedQr(900);
      world.pay(i.invoiceId);
      await handle.signal(paymentReceived, { source: 'webhook' });
      await handle.result();
      return handle.fetchHistory();
    });
    const events = history.events ?? [];
    const activities = events.flatMap(
      (e) => e.activityTaskScheduledEventAttributes?.activityType?.name ?? [],
    );
    const markers = events.flatMap((e) => e.markerRecordedEventAttributes?.markerName ?? []);
    expect(activities).toEqual(['openPayment', 'deliverPurchase']);
    expect(markers.filter((m) => m === 'core_patch')).toHaveLength(1);
    // Pakasir's create and status check, the fee, commit, mark and the admins' digest: one marker each.
    expect(markers.filter((m) => m === 'core_local_activity')).toHaveLength(6);
  });

  it('answers a sold-out press with the refusal; the run ends holding nothing and says nothing', async () => {
    const world = fakeWorld({ stock: 1 });
    const i = order({ quantity: 2 });
    const { result, answer } = await withWorkers(env, world, async (tq) => {
      const { answer, handle } = await press(world, tq, i);
      return { result: await handle.result(), answer };
    });
    expect(answer).toMatchObject({ kind: 'refused', reason: 'out_of_stock' });
    expect(result).toEqual({ status: 'failed' });
    expect(world.available).toBe(1);
    expect(world.seenBy(USER)).toEqual([]);
    expect(world.pakasir(i.invoiceId)).toBeUndefined();
  });

  it('answers a balance press at once (the debit taken with the order) and delivers the goods', async () => {
    const world = fakeWorld({ stock: 5, balance: 100_000 });
    const i = order({ paymentMethod: 'balance', fee: 0, total: 60_000 });
    const { result, answer } = await withWorkers(env, world, async (tq) => {
      const { answer, handle } = await press(world, tq, i);
      return { result: await handle.result(), answer };
    });
    expect(answer).toEqual({ kind: 'opened' });
    expect(result).toEqual({ status: 'delivered' });
    expect(world.balance).toBe(40_000);
    expect(world.calls.debitPurchase).toBeUndefined();
    expect(world.seenBy(USER)).toEqual(['purchase.delivered']);
  });

  it('unpaid at the end of its window: the gateway’s QR becomes the notice, the stock comes back', async () => {
    const world = fakeWorld({ stock: 5 });
    const i = order();
    const result = await withWorkers(env, world, async (tq) => {
      const { handle } = await press(world, tq, i);
      world.gatewayShowedQr(901);
      return handle.result();
    });
    expect(result).toEqual({ status: 'expired' });
    expect(world.available).toBe(5);
    expect(world.order(i.invoiceId)).toBe('expired');
    expect(world.seenBy(USER)).toEqual(['edit:invoice.expired']); // one call: the QR becomes the notice
  });

  it('opens nothing when checkout gave up on the press before its run could open it', async () => {
    const world = fakeWorld({ stock: 5, balance: 100_000 });
    const i = order({ paymentMethod: 'balance', fee: 0, total: 60_000 });
    world.storeOrder(i.invoiceId, orderOf(i));
    const result = await withWorkers(env, world, async (tq) => {
      // As checkout's give-up: signal-with-start, so the cancel is the run's first word.
      const workflowId = `purchase-${i.invoiceId}`;
      track(workflowId);
      const start: OpeningStart = { invoiceId: i.invoiceId, opening: 'sealed-press', ...TIMING };
      const handle = await env.client.workflow.signalWithStart('purchase', {
        taskQueue: tq,
        workflowId,
        args: [start],
        signal: cancelPayment,
        signalArgs: [{ reason: CHECKOUT_SILENT_REASONS.gaveUp }],
      });
      expect(await handle.query(openedQuery)).toEqual({ kind: 'failed' });
      return handle.result();
    });
    expect(result).toEqual({ status: 'failed' });
    expect(world.calls.openPayment).toBeUndefined();
    expect(world.balance).toBe(100_000);
    expect(world.available).toBe(5);
    expect(world.seenBy(USER)).toEqual([]);
  });

  it('answers "failed" when Pakasir refuses the invoice, and gives back what the order held', async () => {
    const world = fakeWorld({ stock: 5 });
    world.refuse('createQrisInvoice');
    const i = order();
    const { answer, failure } = await withWorkers(env, world, async (tq) => {
      const { answer, handle } = await press(world, tq, i);
      return { answer, failure: await handle.result().catch((e: Error) => e) };
    });
    expect(answer).toEqual({ kind: 'failed' });
    expect(failure).toBeInstanceOf(Error);
    expect(world.available).toBe(5);
    expect(world.order(i.invoiceId)).toBe('failed');
  });
});

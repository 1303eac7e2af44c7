import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { paymentReceived } from '@quickcart/workflow-api';
import { depositOrderOf, fakeWorld, type FakeWorld } from './fake-world';
import { withWorkers } from './payment-env';
import { depositOf, pressOpen, until } from './checkouts';
import { bundle, timeSkippingEnv, unique } from './temporal';

/**
 * A deposit run started by the customer's press (Update-with-Start), once paid: the balance is credited
 * before any Telegram call (money before messages), and the QR the customer paid becomes the credited
 * notice in one capped call.
 */
const USER = 7103;
const ADMIN = 1;
const QR = 905;

let env: TestWorkflowEnvironment;
beforeAll(async () => {
  env = await timeSkippingEnv();
});
afterAll(() => env?.teardown());

/** As checkout presses for a deposit; the gateway then shows the QR and records it with orders. */
async function pressAndPay(world: FakeWorld, taskQueue: string) {
  const i = depositOf(USER);
  world.storeOrder(i.invoiceId, depositOrderOf(i));
  const { answer, handle } = await pressOpen(env, 'deposit', taskQueue, i);
  expect(answer).toMatchObject({ kind: 'opened' });
  world.gatewayShowedQr(QR);
  world.pay(i.invoiceId);
  await handle.signal(paymentReceived, { source: 'webhook' });
  return { i, handle };
}

describe('a deposit opened by its press, paid', () => {
  it('turns the QR the customer paid into the credited notice: one Telegram call', async () => {
    const world = fakeWorld();
    const result = await withWorkers(env, world, async (tq) =>
      (await pressAndPay(world, tq)).handle.result(),
    );
    expect(result).toEqual({ status: 'credited' });
    expect(world.balance).toBe(50_000);
    expect(world.seenBy(USER)).toEqual(['edit:deposit.credited']);
    expect(world.seenBy(ADMIN)).toEqual(['admin.deposit_paid']);
  });

  it('credits the balance while the Telegram queue is backed up (no message step before the money)', async () => {
    const world = fakeWorld();
    // Only the payments worker: nothing takes the capped Telegram queue's activities, as when a
    // broadcast fills it. The credit must not wait for them.
    const taskQueue = unique('payments');
    const payments = await Worker.create({
      connection: env.nativeConnection,
      taskQueue,
      workflowBundle: await bundle(require.resolve('../src/workflows')),
      activities: world.payments,
    });
    await payments.runUntil(async () => {
      const { handle } = await pressAndPay(world, taskQueue);
      await until(() => world.balance === 50_000, 'the credit');
      await handle.terminate('test over');
    });
    expect(world.balance).toBe(50_000);
    expect(world.ledger()).toEqual([{ userId: USER, delta: 50_000, reason: 'deposit' }]);
  });

  it('sends the credited notice anew when Telegram will not edit the QR (the QR deleted)', async () => {
    const world = fakeWorld();
    world.refuse('editMessage');
    const result = await withWorkers(env, world, async (tq) =>
      (await pressAndPay(world, tq)).handle.result(),
    );
    expect(result).toEqual({ status: 'credited' });
    expect(world.balance).toBe(50_000);
    expect(world.seenBy(USER)).toEqual(['delete', 'deposit.credited']);
  });
});

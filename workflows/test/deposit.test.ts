import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { paymentReceived, type DepositInput } from '@quickcart/workflow-api';
import { depositOrderOf, fakeWorld } from './fake-world';
import { withWorkers } from './payment-env';
import { timeSkippingEnv, unique } from './temporal';

const USER = 7002;
let env: TestWorkflowEnvironment;
beforeAll(async () => {
  env = await timeSkippingEnv();
});
afterAll(() => env?.teardown());

const input = (): DepositInput => ({
  invoiceId: unique('INV').replace(/-/g, ''),
  userId: USER,
  userName: 'Sari',
  amount: 50_000,
  fee: 660,
  total: 50_660,
  paymentTimeoutMs: 10 * 60_000,
  pollIntervalMs: 60_000,
});

async function until(check: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !check(); i++) await new Promise((r) => setTimeout(r, 25));
}

describe('deposit', () => {
  it('credits the amount (not the fee) when paid', async () => {
    const world = fakeWorld();
    const i = input();
    world.storeOrder(i.invoiceId, depositOrderOf(i));
    const result = await withWorkers(env, world, async (taskQueue) => {
      const h = await env.client.workflow.start('deposit', {
        taskQueue,
        workflowId: `deposit-${i.invoiceId}`,
        args: [i],
      });
      await until(() => world.seenBy(USER).includes('payment.qris'));
      world.pay(i.invoiceId);
      await h.signal(paymentReceived, { source: 'webhook' });
      return h.result();
    });
    expect(result).toEqual({ status: 'credited' });
    expect(world.balance).toBe(50_000);
    expect(world.ledger()).toEqual([{ userId: USER, delta: 50_000, reason: 'deposit' }]);
    expect(world.order(i.invoiceId)).toBe('paid');
    expect(world.seenBy(USER)).toEqual(['payment.qris', 'delete', 'deposit.credited']);
    expect(world.seenBy(1)).toEqual(['admin.deposit_paid']);
  });

  it('expires unpaid: invoice cancelled, QR deleted, nothing credited', async () => {
    const world = fakeWorld();
    const i = input();
    world.storeOrder(i.invoiceId, depositOrderOf(i));
    const result = await withWorkers(env, world, async (taskQueue) =>
      (
        await env.client.workflow.start('deposit', {
          taskQueue,
          workflowId: `deposit-${i.invoiceId}`,
          args: [i],
        })
      ).result(),
    );
    expect(result).toEqual({ status: 'expired' });
    expect(world.balance).toBe(0);
    expect(world.pakasir(i.invoiceId)?.status).toBe('canceled');
    expect(world.order(i.invoiceId)).toBe('expired');
    expect(world.seenBy(USER)).toEqual(['payment.qris', 'edit:deposit.expired']);
    expect(world.seenBy(1)).toEqual(['admin.deposit_expired']);
  });
});

describe('late payment', () => {
  /** A QRIS deposit that expired unpaid, as orders stores it. */
  const expiredOrder = (amount: number) => ({
    ...depositOrderOf({ ...input(), amount, fee: 0, total: amount }),
    status: 'expired' as const,
  });

  it('refunds a confirmed late payment to the balance once, however often it is started', async () => {
    const world = fakeWorld();
    const invoiceId = unique('INVLATE').replace(/-/g, '');
    world.storeOrder(invoiceId, expiredOrder(30_000));
    await withWorkers(env, world, async (taskQueue) => {
      await world.payments.createQrisInvoice({ invoiceId, amount: 30_000 });
      world.pay(invoiceId);
      const args = [{ invoiceId, userId: USER, amount: 30_000 }];
      const first = await env.client.workflow.execute('latePayment', {
        taskQueue,
        workflowId: `late-${invoiceId}`,
        args,
      });
      expect(first).toEqual({ status: 'refunded', refunded: 30_000 });
      // A second run (say, a repeated webhook after the first finished) credits nothing more.
      await env.client.workflow.execute('latePayment', { taskQueue, workflowId: `late-${invoiceId}`, args });
    });
    expect(world.balance).toBe(30_000);
    expect(world.seenBy(USER)).toEqual(['late_payment.refunded']);
  });

  it('refunds nothing that Pakasir does not confirm', async () => {
    const world = fakeWorld();
    const invoiceId = unique('INVFAKE').replace(/-/g, '');
    world.storeOrder(invoiceId, expiredOrder(30_000));
    const result = await withWorkers(env, world, (taskQueue) =>
      env.client.workflow.execute('latePayment', {
        taskQueue,
        workflowId: `late-${invoiceId}`,
        args: [{ invoiceId, userId: USER, amount: 30_000 }],
      }),
    );
    expect(result).toEqual({ status: 'failed' });
    expect(world.balance).toBe(0);
  });
});

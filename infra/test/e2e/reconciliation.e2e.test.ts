import { ensureReconciliationSchedule } from '@quickcart/workflows/worker';
import { reconciliationScheduleFor, workflowIds, type ReconcileResult } from '@quickcart/workflow-api';
import { ScheduleOverlapPolicy } from '@temporalio/client';
import { type TestStack } from '../../../services/orders/test/stack';
import { eventually } from './eventually';
import { startRecordedSystem, type RecordedSystem } from './worker';

/**
 * A customer pays an invoice after its workflow gave up on it (the cancel at Pakasir did not take), and
 * Pakasir's webhook for that payment never arrives. Nothing else would ever look at the invoice again:
 * reconciliation, on its Temporal Schedule, finds the payment and refunds it, once.
 */
let sys: RecordedSystem;
beforeAll(async () => {
  sys = await startRecordedSystem({ paymentTimeout: '3s', pollInterval: '1s' });
});
afterAll(() => sys?.close());
afterEach(() => sys.stack.sandbox.faults.reset());

let nextUser = 8_700_000;

/** A Rp50.000 deposit that expired unpaid, then was paid at Pakasir with the webhook lost. */
async function paidAfterItsWorkflowClosed(stack: TestStack) {
  const userId = ++nextUser;
  await stack.orders.upsertUser({ id: userId, name: 'Wati' });
  // The expiring workflow's cancel is refused (Pakasir's cancel API may 404), so the QR stays payable.
  stack.sandbox.faults.set({ failCancel: 1, dropWebhook: true });
  const order = await stack.orders.deposit({ userId, amount: 50_000 });
  const result = await stack.temporal.workflow.getHandle(workflowIds.deposit(order.invoiceId)).result();
  expect(result).toEqual({ status: 'expired' });
  expect(stack.sandbox.transaction(order.invoiceId)?.status).toBe('pending');
  stack.sandbox.pay(order.invoiceId);
  await stack.sandbox.webhooksSettled();
  expect(stack.sandbox.transaction(order.invoiceId)?.webhooksSent).toBe(0);
  return order;
}

const refundsOf = (stack: TestStack, userId: number) =>
  stack.sql<{ delta: number; reason: string }>(
    `SELECT delta::int, reason FROM orders.ledger WHERE user_id = $1 ORDER BY id`,
    [userId],
  );

let runs = 0;
const reconcile = (stack: TestStack) =>
  stack.temporal.workflow.execute('reconcilePayments', {
    taskQueue: stack.taskQueue,
    workflowId: `reconcile-by-hand-${stack.taskQueue}-${++runs}`,
    args: [{ windowHours: 48 }],
  }) as Promise<ReconcileResult>;

describe('reconciliation', () => {
  it('refunds a payment whose webhook was lost after its workflow closed, once however often it runs', async () => {
    const { stack, recorder } = sys;
    const order = await paidAfterItsWorkflowClosed(stack);
    expect(await refundsOf(stack, order.userId)).toEqual([]);

    // Two sweeps at the same moment, then one more.
    const [first, second] = await Promise.all([reconcile(stack), reconcile(stack)]);
    expect(first.checked + second.checked).toBeGreaterThanOrEqual(1);
    await reconcile(stack);

    expect(await refundsOf(stack, order.userId)).toEqual([{ delta: 50_000, reason: 'late_payment' }]);
    expect((await stack.orders.user(order.userId)).balance).toBe(50_000);
    expect(await stack.orders.order(order.invoiceId)).toMatchObject({
      status: 'expired',
      refundedAmount: 50_000,
    });
    await eventually(
      () => recorder.templates(order.userId),
      (t) => t.includes('late_payment.refunded'),
      'the refund message',
    );
    expect(recorder.templates(order.userId).filter((t) => t === 'late_payment.refunded')).toHaveLength(1);
    // Refunded, it is no longer asked about.
    expect(await reconcile(stack)).toEqual({ checked: 0, refunded: 0, unknown: 0 });
  });

  it('runs on its Temporal Schedule, created once however often a worker starts', async () => {
    const { stack } = sys;
    const client = stack.temporal;
    const schedule = { taskQueue: stack.taskQueue, every: '2s' as const, input: { windowHours: 48 } };
    const handle = await ensureReconciliationSchedule(client, { ...schedule, every: '1h' });
    try {
      // A second start finds it and brings it up to date instead of adding another.
      await ensureReconciliationSchedule(client, schedule);
      const d = await handle.describe();
      expect(handle.scheduleId).toBe(reconciliationScheduleFor(stack.taskQueue));
      expect(d.spec.intervals).toMatchObject([{ every: 2_000 }]);
      expect(d.policies.overlap).toBe(ScheduleOverlapPolicy.SKIP);
      expect(d.action).toMatchObject({ workflowType: 'reconcilePayments', taskQueue: stack.taskQueue });

      const order = await paidAfterItsWorkflowClosed(stack);
      await eventually(
        () => refundsOf(stack, order.userId),
        (r) => r.length > 0,
        'the refund by the scheduled sweep',
        30_000,
      );
      // Later sweeps add nothing.
      await new Promise((r) => setTimeout(r, 4_000));
      expect(await refundsOf(stack, order.userId)).toEqual([{ delta: 50_000, reason: 'late_payment' }]);
      expect((await handle.describe()).info.recentActions.length).toBeGreaterThanOrEqual(2);
    } finally {
      await handle.delete();
    }
  });
});

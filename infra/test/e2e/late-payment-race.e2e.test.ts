import { workflowIds } from '@quickcart/workflow-api';
import { WorkflowNotFoundError } from '@temporalio/client';
import { type TestStack } from '../../../services/orders/test/stack';
import { eventually } from './eventually';
import { startRecordedSystem, type RecordedSystem } from './worker';

/**
 * The customer pays and presses "Status Pembayaran" a few times, and Pakasir sends its webhook twice,
 * while Pakasir takes 3 s to answer each detail call. Every trigger read the order while it was pending;
 * the workflow's own poll wins and completes the payment; the triggers' answers come back after that.
 * None of them may pay the invoice a second time.
 */
let sys: RecordedSystem;
beforeAll(async () => {
  sys = await startRecordedSystem({ paymentTimeout: '60s', pollInterval: '1s' });
});
afterAll(() => sys?.close());
afterEach(() => sys.stack.sandbox.faults.reset());

let nextUser = 8_600_000;
const PAKASIR_LATENCY_MS = 3_000;

/** Pays while every trigger races the workflow, then waits until all of them (and any refund) are done. */
async function payWhileEveryoneChecks(stack: TestStack, invoiceId: string, workflowId: string) {
  await eventually(
    () => stack.sandbox.transaction(invoiceId),
    (tx) => tx !== undefined,
    'the Pakasir invoice',
  );
  stack.sandbox.faults.set({
    delayMs: PAKASIR_LATENCY_MS,
    failPaths: ['/api/transactiondetail'],
    duplicateWebhook: true,
  });
  stack.sandbox.pay(invoiceId);
  // "Status Pembayaran", pressed every half second while the first answers are still on their way.
  const presses: Promise<unknown>[] = [];
  for (let press = 0; press < 6; press++) {
    if (press > 0) await new Promise((r) => setTimeout(r, 500));
    presses.push(stack.orders.checkPayment(invoiceId).catch((error: Error) => error));
  }
  const result = await stack.temporal.workflow.getHandle(workflowId).result();
  await Promise.all(presses);
  await stack.sandbox.webhooksSettled();
  // A refund started by a late trigger is done before anything is counted.
  const late = await stack.temporal.workflow
    .getHandle(workflowIds.latePayment(invoiceId))
    .result()
    .then(
      (r) => ({ late: r }),
      (error: Error) => ({ late: error }),
    );
  return { result, ...late };
}

const ledgerOf = (stack: TestStack, userId: number) =>
  stack.sql<{ delta: number; reason: string }>(
    'SELECT delta::int, reason FROM orders.ledger WHERE user_id = $1 ORDER BY id',
    [userId],
  );

describe('a payment reported many times while Pakasir is slow', () => {
  it('credits a Rp50.000 deposit exactly once', async () => {
    const { stack } = sys;
    const userId = ++nextUser;
    await stack.orders.upsertUser({ id: userId, name: 'Ayu' });
    const order = await stack.orders.deposit({ userId, amount: 50_000 });

    const { result, late } = await payWhileEveryoneChecks(
      stack,
      order.invoiceId,
      workflowIds.deposit(order.invoiceId),
    );

    expect(result).toEqual({ status: 'credited' });
    expect(await ledgerOf(stack, userId)).toEqual([{ delta: 50_000, reason: 'deposit' }]);
    expect((await stack.orders.user(userId)).balance).toBe(50_000);
    expect(await stack.orders.order(order.invoiceId)).toMatchObject({ status: 'paid', refundedAmount: null });
    // No trigger that lost the race started a refund.
    expect(late).toBeInstanceOf(WorkflowNotFoundError);
  });

  it('delivers a purchase and refunds nothing', async () => {
    const { stack, recorder } = sys;
    const { id: productId } = await stack.catalog.addProduct({ name: 'Netflix', price: 30_000 });
    await stack.catalog.addStock(productId, ['nf1:pw1', 'nf2:pw2']);
    const userId = ++nextUser;
    await stack.orders.upsertUser({ id: userId, name: 'Bayu' });
    const order = await stack.orders.checkout({ userId, productId, quantity: 1, paymentMethod: 'qris' });

    const { result, late } = await payWhileEveryoneChecks(
      stack,
      order.invoiceId,
      workflowIds.purchase(order.invoiceId),
    );

    expect(result).toEqual({ status: 'delivered' });
    expect(await stack.orders.order(order.invoiceId)).toMatchObject({ status: 'paid', refundedAmount: null });
    expect(await ledgerOf(stack, userId)).toEqual([]);
    expect((await stack.orders.user(userId)).balance).toBe(0);
    expect(recorder.templates(userId).filter((t) => t === 'purchase.delivered')).toHaveLength(1);
    expect(recorder.templates(userId)).not.toContain('late_payment.refunded');
    expect(late).toBeInstanceOf(WorkflowNotFoundError);
    // Every rupiah of the shop: the ledger's sum is every balance.
    const [sums] = await stack.sql<{ ledger: number; balances: number }>(
      `SELECT (SELECT coalesce(sum(delta), 0)::int FROM orders.ledger) AS ledger,
              (SELECT coalesce(sum(balance), 0)::int FROM orders.users) AS balances`,
    );
    expect(sums.ledger).toBe(sums.balances);
  });
});

import type { PurchaseInput } from '@quickcart/workflow-api';
import { WorkflowExecutionAlreadyStartedError, WorkflowFailedError } from '@temporalio/client';
import { PROJECT } from '../../../services/orders/test/stack';
import { startRecordedSystem, type RecordedSystem } from './worker';

/**
 * Someone who reaches the Temporal frontend (or its Web UI) starts `purchase` for their own pending
 * QRIS order, saying it is paid from the balance with nothing to pay, and once it is delivered asks
 * for it to be refunded as a late payment. The workflows read the stored order instead, so nothing is
 * delivered, debited, released or refunded, and the real order still completes.
 */
let sys: RecordedSystem;
beforeAll(async () => {
  sys = await startRecordedSystem({ paymentTimeout: '10m', pollInterval: '60s' });
});
afterAll(() => sys?.close());

const REFUSED = 'PaymentStartRefused';

const TIMING = { paymentTimeoutMs: 600_000, pollIntervalMs: 60_000 };

describe('a purchase workflow started by hand with a forged input', () => {
  it('delivers, debits and refunds nothing, keeps the reservation; the real order still completes', async () => {
    const { stack, recorder } = sys;
    const { id: productId } = await stack.catalog.addProduct({ name: 'YouTube Premium', price: 20_000 });
    await stack.catalog.addStock(productId, ['yt1:pw1', 'yt2:pw2']);
    const userId = 8_500_001; // each stack has its own database
    await stack.orders.upsertUser({ id: userId, name: 'Joko' });

    const order = await stack.orders.checkout({ userId, productId, quantity: 1, paymentMethod: 'qris' });
    // The QR is the press's answer, the gateway's to show (no gateway here).
    expect(order.qr).not.toBeNull();
    const forged: PurchaseInput = {
      invoiceId: order.invoiceId,
      userId,
      userName: 'Joko',
      productId,
      productName: 'YouTube Premium',
      quantity: 2,
      amount: 0,
      fee: 0,
      total: 0,
      paymentMethod: 'balance',
      paymentTimeoutMs: 600_000,
      pollIntervalMs: 60_000,
    };
    const startForged = (workflowId: string) =>
      stack.temporal.workflow.start('purchase', { taskQueue: stack.taskQueue, workflowId, args: [forged] });

    // 1. Under an id of its own: the run fails at once, before any activity.
    const other = await startForged(`forged-${order.invoiceId}`);
    const failure = await other.result().catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(WorkflowFailedError);
    expect(failure).toMatchObject({ cause: { type: REFUSED } });
    const events = (await other.fetchHistory()).events ?? [];
    expect(events.filter((e) => e.activityTaskScheduledEventAttributes)).toEqual([]);

    // 1b. A made-up opening (Update-with-Start's input) under its own invoice's id: orders' open
    // refuses a seal it did not make; the run fails and nothing is written.
    const made = await stack.temporal.workflow.start('purchase', {
      taskQueue: stack.taskQueue,
      workflowId: 'purchase-INVFORGED1',
      args: [{ invoiceId: 'INVFORGED1', opening: 'eyJ1c2VySWQiOjF9.bm90LW9yZGVycw', ...TIMING }],
    });
    await expect(made.result()).rejects.toBeInstanceOf(WorkflowFailedError);
    await expect(stack.orders.order('INVFORGED1')).rejects.toMatchObject({ reason: 'order' });

    // 1c. The real press's seal, read from its run's history and started again under another id:
    // refused before anything is opened, reserved or paid.
    const realStart = (await stack.temporal.workflow.getHandle(`purchase-${order.invoiceId}`).fetchHistory())
      .events?.[0]?.workflowExecutionStartedEventAttributes?.input?.payloads?.[0]?.data;
    const sealed = JSON.parse(Buffer.from(realStart!).toString('utf8')) as { opening: string };
    const replayed = await stack.temporal.workflow.start('purchase', {
      taskQueue: stack.taskQueue,
      workflowId: `forged-replay-${order.invoiceId}`,
      args: [{ invoiceId: order.invoiceId, opening: sealed.opening, ...TIMING }],
    });
    await expect(replayed.result()).rejects.toMatchObject({ cause: { type: REFUSED } });

    // 2. Under the real id while the real workflow runs: Temporal itself refuses a second run.
    await expect(startForged(`purchase-${order.invoiceId}`)).rejects.toBeInstanceOf(
      WorkflowExecutionAlreadyStartedError,
    );

    // Nothing happened to the order, the money or the stock.
    expect((await stack.orders.order(order.invoiceId)).status).toBe('pending');
    expect((await stack.orders.ledger(userId)).items).toEqual([]);
    expect(recorder.templates(userId)).toEqual([]);
    expect(await stockOf(productId)).toEqual([
      { status: 'reserved', invoice_id: order.invoiceId },
      { status: 'available', invoice_id: null },
    ]);

    // The customer pays the real invoice in the Pakasir sandbox: the real workflow delivers.
    const pay = await fetch(
      `${stack.sandbox.url}/pay/${PROJECT}/${order.amount}/confirm?order_id=${order.invoiceId}`,
      { method: 'POST' },
    );
    expect(pay.status).toBe(200);
    const real = stack.temporal.workflow.getHandle(`purchase-${order.invoiceId}`);
    expect(await real.result()).toEqual({ status: 'delivered' });
    expect((await stack.orders.order(order.invoiceId)).status).toBe('paid');
    expect(await stockOf(productId)).toEqual([
      { status: 'sold', invoice_id: order.invoiceId },
      { status: 'available', invoice_id: null },
    ]);

    // 3. Under the real id once it has finished: the order is no longer pending, the run is refused.
    const again = await startForged(`purchase-${order.invoiceId}`);
    await expect(again.result()).rejects.toMatchObject({ cause: { type: REFUSED } });

    // 4. A late-payment refund of the delivered order (Pakasir does hold the payment): refused too.
    const refund = await stack.temporal.workflow.start('latePayment', {
      taskQueue: stack.taskQueue,
      workflowId: `late-${order.invoiceId}`,
      args: [{ invoiceId: order.invoiceId, userId, amount: order.amount }],
    });
    await expect(refund.result()).rejects.toMatchObject({ cause: { type: REFUSED } });

    // The goods go once (no QR recorded here: as a new message), nothing deleted first.
    expect(recorder.templates(userId)).toEqual(['purchase.delivered']);
    const delivered = recorder
      .to(userId)
      .find((m) => m.request.action === 'send' && m.request.message.template === 'purchase.delivered');
    expect(delivered?.request).toMatchObject({ message: { data: { quantity: 1, items: ['yt1:pw1'] } } });
    expect((await stack.orders.ledger(userId)).items).toEqual([]);
  });
});

function stockOf(productId: number) {
  return sys.stack.sql<{ status: string; invoice_id: string | null }>(
    'SELECT status, invoice_id FROM catalog.stock_items WHERE product_id = $1 ORDER BY created_at, id',
    [productId],
  );
}

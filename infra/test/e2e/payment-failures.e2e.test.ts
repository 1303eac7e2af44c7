import { paymentReceived } from '@quickcart/workflow-api';
import { WorkflowFailedError } from '@temporalio/client';
import { ADMIN_ID, PROJECT } from '../../../services/orders/test/stack';
import { eventually } from './eventually';
import { startRecordedSystem, type RecordedSystem } from './worker';

/**
 * Issue 11 on the dev server, Pakasir being its sandbox: a failure before payment gives back what the
 * payment held (defect 3), and an answer Pakasir will not give parks the order instead of closing it
 * (defect 4). Telegram is the recording /notify.
 */
let sys: RecordedSystem;
beforeAll(async () => {
  sys = await startRecordedSystem({ paymentTimeout: '3s', pollInterval: '1s' });
});
afterAll(() => sys?.close());
afterEach(() => sys.stack.sandbox.faults.reset());

let nextUser = 8_600_000;
/** The one order a customer's press made (the press itself was answered with a refusal). */
/** The `type`s along an error's chain of causes (failures that carry one). */
function failureTypes(error: unknown): string[] {
  const types: string[] = [];
  for (let e = error as { type?: string; cause?: unknown } | undefined; e; e = e.cause as typeof e)
    if (e.type) types.push(e.type);
  return types;
}

async function theOrderOf(userId: number): Promise<{ invoiceId: string }> {
  const rows = await sys.stack.sql<{ invoice_id: string }>(
    'SELECT invoice_id FROM orders.orders WHERE user_id = $1',
    [userId],
  );
  expect(rows).toHaveLength(1);
  return { invoiceId: rows[0]!.invoice_id };
}

async function customer(): Promise<number> {
  const userId = ++nextUser;
  await sys.stack.orders.upsertUser({ id: userId, name: 'Wati' });
  return userId;
}

describe('a purchase Pakasir refuses to open (defect 3)', () => {
  it('releases the stock, gives the voucher back, fails the order, tells the customer, fails visibly', async () => {
    const { stack, recorder } = sys;
    const { id: productId } = await stack.catalog.addProduct({ name: 'Netflix', price: 30_000 });
    await stack.catalog.addStock(productId, ['n1', 'n2']);
    const userId = await customer();
    const [code] = (await stack.orders.giveaway({ amount: 5_000, count: 1, actor: String(ADMIN_ID) })).codes;
    stack.sandbox.faults.set({ failNext: 1, failStatus: 400, failPaths: ['transactioncreate'] });

    // The press is answered "failed": the run tells the customer itself.
    await expect(
      stack.orders.checkout({ userId, productId, quantity: 1, paymentMethod: 'qris', voucherCode: code }),
    ).rejects.toMatchObject({ reason: 'payment_failed' });
    const order = await theOrderOf(userId);
    const failure = await stack.temporal.workflow
      .getHandle(`purchase-${order.invoiceId}`)
      .result()
      .catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(WorkflowFailedError);
    // Pakasir's refusal under the run's own failure (a local activity's, since pakasir-local: no
    // ActivityFailure between them).
    expect(failureTypes(failure)).toEqual(['PaymentFailedBeforePayment', 'Refused']);

    expect((await stack.orders.order(order.invoiceId)).status).toBe('failed');
    expect(await stack.catalog.product(productId)).toMatchObject({ stock: 2, reservedStock: 0 });
    expect(await stack.orders.checkVoucher(code, userId)).toMatchObject({ code }); // free to use again
    expect(recorder.templates(userId)).toEqual(['purchase.cancelled']);
  });

  it('fails a deposit the same way: the order failed, the customer told, nothing credited', async () => {
    const { stack, recorder } = sys;
    const userId = await customer();
    stack.sandbox.faults.set({ failNext: 1, failStatus: 401, failPaths: ['transactioncreate'] });
    await expect(stack.orders.deposit({ userId, amount: 25_000 })).rejects.toMatchObject({
      reason: 'payment_failed',
    });
    const order = await theOrderOf(userId);
    await expect(
      stack.temporal.workflow.getHandle(`deposit-${order.invoiceId}`).result(),
    ).rejects.toBeInstanceOf(WorkflowFailedError);
    expect((await stack.orders.order(order.invoiceId)).status).toBe('failed');
    expect(recorder.templates(userId)).toEqual(['deposit.expired']);
    expect((await stack.orders.user(userId)).balance).toBe(0);
  });
});

describe('a payment Pakasir will not tell about (defect 4)', () => {
  it('is parked as payment_unknown with its stock, admins told; delivered once Pakasir answers paid', async () => {
    const { stack, recorder } = sys;
    const { id: productId } = await stack.catalog.addProduct({ name: 'Spotify', price: 20_000 });
    await stack.catalog.addStock(productId, ['s1', 's2']);
    const userId = await customer();
    // Every detail call answers 400 for now, and the payment's webhook is lost.
    stack.sandbox.faults.set({
      failNext: 1_000,
      failStatus: 400,
      failPaths: ['transactiondetail'],
      dropWebhook: true,
    });
    const order = await stack.orders.checkout({ userId, productId, quantity: 1, paymentMethod: 'qris' });
    // The QR is the press's answer, the gateway's to show (no gateway here).
    expect(order.qr?.qrString).toBeTruthy();
    const paid = await fetch(
      `${stack.sandbox.url}/pay/${PROJECT}/${order.amount}/confirm?order_id=${order.invoiceId}`,
      {
        method: 'POST',
      },
    );
    expect(paid.status).toBe(200);

    await eventually(
      () => stack.orders.order(order.invoiceId),
      (o) => o.status === 'payment_unknown',
      'the parked order',
    );
    await eventually(
      () => recorder.templates(ADMIN_ID),
      (t) => t.includes('admin.payment_unknown'),
      'the admins told',
    );
    const handle = stack.temporal.workflow.getHandle(`purchase-${order.invoiceId}`);
    expect((await handle.describe()).status.name).toBe('RUNNING');
    expect(await stack.catalog.product(productId)).toMatchObject({ stock: 1, reservedStock: 1 });
    expect(stack.sandbox.transaction(order.invoiceId)?.status).toBe('completed'); // not cancelled
    expect(recorder.templates(userId)).toEqual([]); // no expiry notice

    // Pakasir answers again; an operator (or the status button) asks the workflow to look now.
    stack.sandbox.faults.reset();
    await handle.signal(paymentReceived, { source: 'operator' });
    expect(await handle.result()).toEqual({ status: 'delivered' });
    expect((await stack.orders.order(order.invoiceId)).status).toBe('paid');
    // The goods go once (with no QR recorded here, as new messages), nothing deleted first.
    expect(recorder.templates(userId)).toEqual(['purchase.delivered']);
  });
});

import { Conflict } from '@quickcart/kit';
import type { WorkflowExecutionDescription } from '@temporalio/client';
import { SA } from '@quickcart/workflow-api';
import { eventually } from '../../../infra/test/e2e/eventually';
import { ADMIN_ID, PROJECT, WEBHOOK_SECRET, post, startTestStack, type TestStack } from './stack';

let s: TestStack;
let productId: number;
beforeAll(async () => {
  s = await startTestStack();
  productId = (await s.catalog.addProduct({ name: 'Netflix', category: 'Streaming', price: 30_000 })).id;
  await s.catalog.addStock(
    productId,
    Array.from({ length: 20 }, (_, i) => `akun${i}:pass${i}`),
  );
});
afterAll(() => s.close());

let nextId = 7_000_000;
async function newUser(balance = 0): Promise<number> {
  const id = ++nextId;
  await s.orders.upsertUser({ id, name: 'Budi' });
  if (balance)
    await s.worker.postLedgerEntry({
      userId: id,
      delta: balance,
      reason: 'deposit',
      idempotencyKey: `seed-${id}`,
    });
  return id;
}

/**
 * Names of the signals a workflow's history shows so far. A signal that lands while the run's workflow
 * task is in flight is accepted but buffered, and shows only when that task completes: read at once, the
 * second of two webhooks' signals was missing in CI (jest two at a time), so a test expecting signals
 * waits for them (`eventually`).
 */
async function signalsOf(workflowId: string): Promise<string[]> {
  const history = await s.temporal.workflow.getHandle(workflowId).fetchHistory();
  return (history.events ?? []).flatMap((e) =>
    e.workflowExecutionSignaledEventAttributes?.signalName
      ? [e.workflowExecutionSignaledEventAttributes.signalName]
      : [],
  );
}

const webhook = (body: object | string, secret = WEBHOOK_SECRET) =>
  post(`${s.webhookUrl}/webhooks/pakasir/${secret}`, body);
const paidBody = (invoiceId: string, amount: number) => ({
  amount,
  order_id: invoiceId,
  project: PROJECT,
  status: 'completed',
  payment_method: 'qris',
  completed_at: new Date().toISOString(),
});

describe('checkout', () => {
  it('creates a QRIS order with the price snapshot and fee, and starts its workflow', async () => {
    const userId = await newUser();
    const order = await s.orders.checkout({ userId, productId, quantity: 1, paymentMethod: 'qris' });
    expect(order).toMatchObject({
      userId,
      kind: 'purchase',
      productId,
      quantity: 1,
      pricePerUnit: 30_000,
      subtotal: 30_000,
      paymentFee: 520,
      total: 30_520,
      amount: 30_000,
      status: 'pending',
    });
    expect(order.invoiceId).toMatch(/^INV\d{6}[A-Z0-9]{6}$/);
    const d: WorkflowExecutionDescription = await s.temporal.workflow
      .getHandle(`purchase-${order.invoiceId}`)
      .describe();
    expect(d.status.name).toBe('RUNNING');
    expect(d.taskQueue).toBe(s.taskQueue);
    expect(d.typedSearchAttributes.get(SA.InvoiceId)).toBe(order.invoiceId);
    expect(d.typedSearchAttributes.get(SA.CustomerId)).toBe(String(userId));
    expect(d.typedSearchAttributes.get(SA.AmountIdr)).toBe(30_520);
  });

  it('cancels the previous pending QRIS invoice when the customer checks out again', async () => {
    const userId = await newUser();
    const first = await s.orders.checkout({ userId, productId, quantity: 1, paymentMethod: 'qris' });
    const second = await s.orders.deposit({ userId, amount: 25_000 });
    const cancelled = await eventually(
      () => signalsOf(`purchase-${first.invoiceId}`),
      (names) => names.length > 0,
      'the cancel signal in the history',
    );
    expect(cancelled).toEqual(['cancel']);
    expect(await signalsOf(`deposit-${second.invoiceId}`)).toEqual([]);
    expect(second).toMatchObject({ kind: 'deposit', subtotal: 25_000, paymentFee: 485, total: 25_485 });
  });

  it('reserves at checkout: the stock is held before the workflow runs, a sold-out checkout makes no order', async () => {
    const { id: scarce } = await s.catalog.addProduct({ name: 'Langka', price: 5_000 });
    await s.catalog.addStock(scarce, ['l1', 'l2']);
    const winner = await newUser();
    const order = await s.orders.checkout({
      userId: winner,
      productId: scarce,
      quantity: 2,
      paymentMethod: 'qris',
    });
    expect(await s.reservations.reservation(order.invoiceId)).toMatchObject({
      status: 'reserved',
      quantity: 2,
    });
    const loser = await newUser();
    await expect(
      s.orders.checkout({ userId: loser, productId: scarce, quantity: 1, paymentMethod: 'qris' }),
    ).rejects.toMatchObject({ reason: 'out_of_stock' });
    expect((await s.orders.orderHistory(loser, 1)).totalItems).toBe(0);
  });

  it('refuses a balance purchase without enough balance before anything happens', async () => {
    const userId = await newUser(10_000);
    await expect(
      s.orders.checkout({ userId, productId, quantity: 1, paymentMethod: 'balance' }),
    ).rejects.toMatchObject({ reason: 'insufficient_balance' });
    expect((await s.orders.orderHistory(userId)).totalItems).toBe(0);
  });

  it('refuses deposits outside Rp10.000–Rp10.000.000, a banned user and too much quantity', async () => {
    const userId = await newUser();
    for (const amount of [9_999, 10_000_001]) {
      const res = await post(`${s.ordersUrl}/deposits`, { userId, amount }, s.tokens.gateway);
      expect(res.status).toBe(400);
      expect(res.body.message).toContain('amount');
    }
    await expect(
      s.orders.checkout({ userId, productId, quantity: 999, paymentMethod: 'qris' }),
    ).rejects.toMatchObject({ reason: 'out_of_stock' });
    await s.orders.setBanned(userId, true, String(ADMIN_ID));
    await expect(s.orders.deposit({ userId, amount: 10_000 })).rejects.toBeInstanceOf(Conflict);
  });

  it('lists a user’s orders and deposits newest first, 10 a page', async () => {
    const userId = await newUser();
    for (let i = 0; i < 11; i++) await s.orders.deposit({ userId, amount: 10_000 + i });
    const page1 = await s.orders.orderHistory(userId, 1);
    expect(page1).toMatchObject({ page: 1, totalPages: 2, totalItems: 11 });
    expect(page1.items[0].subtotal).toBe(10_010);
    expect((await s.orders.orderHistory(userId, 2)).items).toHaveLength(1);
  });
});

describe('the Pakasir webhook', () => {
  let invoiceId: string;
  let userId: number;
  beforeAll(async () => {
    userId = await newUser();
    invoiceId = (await s.orders.checkout({ userId, productId, quantity: 1, paymentMethod: 'qris' }))
      .invoiceId;
  });

  async function expectNothingChanged() {
    expect((await s.orders.order(invoiceId)).status).toBe('pending');
    expect(await signalsOf(`purchase-${invoiceId}`)).toEqual([]);
  }

  it('refuses a wrong secret', async () => {
    expect((await webhook(paidBody(invoiceId, 30_000), 'wrong-secret-0000000000')).status).toBe(404);
    await expectNothingChanged();
  });

  it('refuses a wrong project', async () => {
    const res = await webhook({ ...paidBody(invoiceId, 30_000), project: 'someone-else' });
    expect(res.status).toBe(400);
    await expectNothingChanged();
  });

  it('refuses an amount that does not match the order', async () => {
    const res = await webhook(paidBody(invoiceId, 1_000));
    expect(res.status).toBe(400);
    expect(res.body.reason).toBe('amount_mismatch');
    await expectNothingChanged();
  });

  it('refuses malformed JSON and a body missing fields', async () => {
    expect((await webhook('{"order_id": ')).status).toBe(400);
    expect((await webhook({ order_id: invoiceId })).status).toBe(400);
    await expectNothingChanged();
  });

  it('refuses a well-formed webhook that Pakasir does not confirm (forged)', async () => {
    const res = await webhook(paidBody(invoiceId, 30_000));
    expect(res.status).toBe(409);
    expect(res.body.reason).toBe('payment_not_confirmed');
    await expectNothingChanged();
  });

  it('signals the workflow once Pakasir confirms, and a repeat is harmless', async () => {
    // The workflow of this stack has no worker, so the Pakasir transaction is made here directly.
    await fetch(`${s.sandbox.url}/api/transactioncreate/qris`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ project: PROJECT, order_id: invoiceId, amount: 30_000, api_key: 'test-key' }),
    });
    s.sandbox.setWebhookUrl(PROJECT, undefined); // we send the webhook ourselves
    s.sandbox.pay(invoiceId);
    expect((await webhook(paidBody(invoiceId, 30_000))).status).toBe(200);
    expect((await webhook(paidBody(invoiceId, 30_000))).status).toBe(200);
    const signals = await eventually(
      () => signalsOf(`purchase-${invoiceId}`),
      (names) => names.length >= 2,
      "both webhooks' signals in the history",
    );
    expect(signals).toEqual(['paymentReceived', 'paymentReceived']);
    expect((await s.orders.checkPayment(invoiceId)).status).toBe('paid');
  });
});

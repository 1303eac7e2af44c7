import { pakasirWebhookBody } from '@quickcart/pakasir';
import { newOrderId, PROJECT, startTestSandbox, startWebhookReceiver, type TestSandbox } from './harness';

let t: TestSandbox;
beforeAll(async () => {
  t = await startTestSandbox();
});
afterAll(() => t.close());
afterEach(() => t.sandbox.faults.reset());

async function paidOrder(amount = 25_000): Promise<string> {
  const orderId = newOrderId();
  await t.call('POST', '/api/transactioncreate/qris', t.fields(orderId, amount));
  const res = await t.call('POST', '/api/paymentsimulation', t.fields(orderId, amount));
  expect(res.status).toBe(200);
  await t.sandbox.webhooksSettled();
  return orderId;
}

describe('payment webhook', () => {
  it('is sent once, after the simulation, in the shape Pakasir sends from a sandbox project', async () => {
    const orderId = await paidOrder(25_000);
    const bodies = t.receiver.for(orderId);
    expect(bodies).toHaveLength(1);
    expect(bodies[0]).toMatchObject({ is_sandbox: true });
    expect(pakasirWebhookBody.parse(bodies[0])).toEqual({
      is_sandbox: true,
      amount: 25_000,
      order_id: orderId,
      project: PROJECT,
      status: 'completed',
      payment_method: 'qris',
      completed_at: t.sandbox.transaction(orderId)?.completedAt,
    });
  });

  it('is not sent again when a paid order is simulated again', async () => {
    const orderId = await paidOrder();
    const again = await t.call('POST', '/api/paymentsimulation', t.fields(orderId, 25_000));
    expect(again.status).toBe(200);
    expect(again.body.transaction.status).toBe('completed');
    await t.sandbox.webhooksSettled();
    expect(t.receiver.for(orderId)).toHaveLength(1);
  });

  it('is sent twice with duplicateWebhook, and once more on a repeated simulation', async () => {
    t.sandbox.faults.set({ duplicateWebhook: true });
    const orderId = await paidOrder();
    expect(t.receiver.for(orderId)).toHaveLength(2);
    await t.call('POST', '/api/paymentsimulation', t.fields(orderId, 25_000));
    await t.sandbox.webhooksSettled();
    expect(t.receiver.for(orderId)).toHaveLength(3);
    expect(t.sandbox.transaction(orderId)?.webhooksSent).toBe(3);
  });

  it('is not sent with dropWebhook, though the payment completes', async () => {
    t.sandbox.faults.set({ dropWebhook: true });
    const orderId = await paidOrder();
    expect(t.receiver.for(orderId)).toHaveLength(0);
    expect(t.sandbox.transaction(orderId)?.status).toBe('completed');
  });

  it('obeys the switches set over HTTP, as another process would set them', async () => {
    const set = await t.call('POST', '/_sandbox/faults', { duplicateWebhook: true });
    expect(set.body).toMatchObject({ duplicateWebhook: true, dropWebhook: false });
    const orderId = await paidOrder();
    expect(t.receiver.for(orderId)).toHaveLength(2);
    await t.call('POST', '/_sandbox/reset');
    expect(t.sandbox.faults.get().duplicateWebhook).toBe(false);
  });

  it('goes to a URL changed at run time, over HTTP or from code', async () => {
    const other = await startWebhookReceiver();
    try {
      const set = await t.call('POST', '/_sandbox/webhook-url', { project: PROJECT, url: other.url });
      expect(set.status).toBe(200);
      const orderId = await paidOrder();
      expect(other.for(orderId)).toHaveLength(1);
      expect(t.receiver.for(orderId)).toHaveLength(0);
    } finally {
      t.sandbox.setWebhookUrl(PROJECT, t.receiver.url);
      await other.close();
    }
    const unknown = await t.call('POST', '/_sandbox/webhook-url', { project: 'nope', url: other.url });
    expect(unknown.status).toBe(404);
  });

  it('fires when sandbox.pay is called from code', async () => {
    const orderId = newOrderId();
    await t.call('POST', '/api/transactioncreate/qris', t.fields(orderId, 9_000));
    expect(t.sandbox.pay(orderId).status).toBe('completed');
    await t.sandbox.webhooksSettled();
    expect(t.receiver.for(orderId)).toHaveLength(1);
  });
});

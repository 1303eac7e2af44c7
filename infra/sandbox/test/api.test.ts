import { verifyQrisCrc, parseEmv } from '../src';
import { API_KEY, detailPath, newOrderId, PROJECT, startTestSandbox, type TestSandbox } from './harness';

let t: TestSandbox;
beforeAll(async () => {
  t = await startTestSandbox();
});
afterAll(() => t.close());

describe('create', () => {
  it('opens a QRIS payment with the fee added and a payable QRIS string', async () => {
    const orderId = newOrderId();
    const before = Date.now();
    const res = await t.call('POST', '/api/transactioncreate/qris', t.fields(orderId, 30_000));
    expect(res.status).toBe(200);
    expect(res.body.payment).toMatchObject({
      project: PROJECT,
      order_id: orderId,
      amount: 30_000,
      fee: 520,
      total_payment: 30_520,
      payment_method: 'qris',
    });
    const expiresIn = Date.parse(res.body.payment.expired_at) - before;
    expect(expiresIn).toBeGreaterThanOrEqual(60 * 60_000 - 1_000);
    expect(expiresIn).toBeLessThanOrEqual(60 * 60_000 + 1_000);
    const qris = res.body.payment.payment_number;
    expect(verifyQrisCrc(qris)).toBe(true);
    expect(parseEmv(qris)['54']).toBe('30520');
    expect(parseEmv(parseEmv(qris)['62']!)['01']).toBe(orderId);
  });

  it('lenient (strictOrderIds off): the same order and amount again is the same payment', async () => {
    const lenient = await startTestSandbox({ strictOrderIds: false });
    try {
      const orderId = newOrderId();
      const first = await lenient.call(
        'POST',
        '/api/transactioncreate/qris',
        lenient.fields(orderId, 15_000),
      );
      const again = await lenient.call(
        'POST',
        '/api/transactioncreate/qris',
        lenient.fields(orderId, 15_000),
      );
      expect(again.body).toEqual(first.body);
      const other = await lenient.call(
        'POST',
        '/api/transactioncreate/qris',
        lenient.fields(orderId, 16_000),
      );
      expect(other.status).toBe(409);
      expect(other.body).toMatchObject({ reason: 'order_id_taken' });
    } finally {
      await lenient.close();
    }
  });

  it('refuses a wrong api key with 401 and does not echo it', async () => {
    const res = await t.call('POST', '/api/transactioncreate/qris', {
      ...t.fields(newOrderId(), 10_000),
      api_key: 'guessed-key',
    });
    expect(res.status).toBe(401);
    expect(JSON.stringify(res.body)).not.toContain('guessed-key');
    expect(JSON.stringify(res.body)).not.toContain(API_KEY);
  });

  it('refuses a bad body with 400 naming the field', async () => {
    const res = await t.call('POST', '/api/transactioncreate/qris', { ...t.fields(newOrderId(), 0) });
    expect(res.status).toBe(400);
    expect(res.body.message).toContain('amount');
  });
});

describe('detail, cancel, simulate', () => {
  it('tells a pending payment, then a completed one with completed_at', async () => {
    const orderId = newOrderId();
    await t.call('POST', '/api/transactioncreate/qris', t.fields(orderId, 20_000));
    const pending = await t.call('GET', detailPath(t.fields(orderId, 20_000)));
    expect(pending.body.transaction).toEqual({
      amount: 20_000,
      order_id: orderId,
      project: PROJECT,
      status: 'pending',
      payment_method: 'qris',
      completed_at: null,
      // Beyond Pakasir's documented detail: the fee of the method, an assumption (features.md §6.1).
      fee: 450,
      total_payment: 20_450,
    });

    const paid = await t.call('POST', '/api/paymentsimulation', t.fields(orderId, 20_000));
    expect(paid.status).toBe(200);
    const detail = await t.call('GET', detailPath(t.fields(orderId, 20_000)));
    expect(detail.body.transaction.status).toBe('completed');
    expect(Date.parse(detail.body.transaction.completed_at)).not.toBeNaN();
  });

  it('answers 404 JSON for an unknown order, or a known order with another amount', async () => {
    const unknown = await t.call('GET', detailPath(t.fields(newOrderId(), 20_000)));
    expect(unknown.status).toBe(404);
    expect(unknown.body).toMatchObject({ error: 'not_found' });
    const orderId = newOrderId();
    await t.call('POST', '/api/transactioncreate/qris', t.fields(orderId, 20_000));
    expect((await t.call('POST', '/api/transactioncancel', t.fields(orderId, 21_000))).status).toBe(404);
  });

  it('cancels a pending payment, which can then no longer be paid', async () => {
    const orderId = newOrderId();
    await t.call('POST', '/api/transactioncreate/qris', t.fields(orderId, 12_000));
    const cancel = await t.call('POST', '/api/transactioncancel', t.fields(orderId, 12_000));
    expect(cancel.status).toBe(200);
    expect(t.sandbox.transaction(orderId)?.status).toBe('canceled');
    expect((await t.call('POST', '/api/transactioncancel', t.fields(orderId, 12_000))).status).toBe(200);
    const pay = await t.call('POST', '/api/paymentsimulation', t.fields(orderId, 12_000));
    expect(pay.status).toBe(409);
  });

  it('refuses to cancel a completed payment', async () => {
    const orderId = newOrderId();
    await t.call('POST', '/api/transactioncreate/qris', t.fields(orderId, 12_000));
    t.sandbox.pay(orderId);
    const res = await t.call('POST', '/api/transactioncancel', t.fields(orderId, 12_000));
    expect(res.status).toBe(409);
    expect(t.sandbox.transaction(orderId)?.status).toBe('completed');
  });

  it('lets a payment expire after expiryMinutes', async () => {
    const short = await startTestSandbox({ expiryMinutes: 0.001 }); // 60 ms
    try {
      const orderId = newOrderId();
      await short.call('POST', '/api/transactioncreate/qris', short.fields(orderId, 10_000));
      await new Promise((r) => setTimeout(r, 100));
      const detail = await short.call('GET', detailPath(short.fields(orderId, 10_000)));
      expect(detail.body.transaction.status).toBe('expired');
      const pay = await short.call('POST', '/api/paymentsimulation', short.fields(orderId, 10_000));
      expect(pay.status).toBe(409);
    } finally {
      await short.close();
    }
  });

  it('shows a payment through the control API', async () => {
    const orderId = newOrderId();
    await t.call('POST', '/api/transactioncreate/qris', t.fields(orderId, 11_000));
    const res = await t.call('GET', `/_sandbox/transactions/${orderId}`);
    expect(res.body).toMatchObject({ orderId, amount: 11_000, totalPayment: 11_387, status: 'pending' });
    expect((await t.call('GET', `/_sandbox/transactions/${newOrderId()}`)).status).toBe(404);
  });
});

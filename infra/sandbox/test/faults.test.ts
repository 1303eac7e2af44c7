import { detailPath, newOrderId, startTestSandbox, type TestSandbox } from './harness';

let t: TestSandbox;
beforeAll(async () => {
  t = await startTestSandbox();
});
afterAll(() => t.close());
afterEach(() => t.sandbox.faults.reset());

const create = (orderId: string, amount = 10_000) =>
  t.call('POST', '/api/transactioncreate/qris', t.fields(orderId, amount));

describe('fault switches', () => {
  it('fails the next N calls with 503, then answers normally', async () => {
    t.sandbox.faults.set({ failNext: 2 });
    const orderId = newOrderId();
    expect((await create(orderId)).status).toBe(503);
    expect((await create(orderId)).status).toBe(503);
    expect((await create(orderId)).status).toBe(200);
    expect(t.sandbox.faults.get().failNext).toBe(0);
  });

  it('fails with the status asked for, only on the paths asked for', async () => {
    await t.call('POST', '/_sandbox/faults', {
      failNext: 1,
      failStatus: 500,
      failPaths: ['transactiondetail'],
    });
    const orderId = newOrderId();
    expect((await create(orderId)).status).toBe(200);
    expect((await t.call('GET', detailPath(t.fields(orderId, 10_000)))).status).toBe(500);
    expect((await t.call('GET', detailPath(t.fields(orderId, 10_000)))).status).toBe(200);
  });

  it('never fails its own control routes', async () => {
    t.sandbox.faults.set({ failNext: 5, failPaths: ['/'] });
    expect((await t.call('GET', '/_sandbox/faults')).status).toBe(200);
    expect((await t.call('GET', '/health')).status).toBe(200);
  });

  it('delays answers by delayMs', async () => {
    t.sandbox.faults.set({ delayMs: 300 });
    const started = Date.now();
    expect((await create(newOrderId())).status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
  });

  it('answers the next N cancels with 404 and leaves the payment pending', async () => {
    await t.call('POST', '/_sandbox/faults', { failCancel: 1 });
    const orderId = newOrderId();
    await create(orderId);
    expect((await t.call('POST', '/api/transactioncancel', t.fields(orderId, 10_000))).status).toBe(404);
    expect(t.sandbox.transaction(orderId)?.status).toBe('pending');
    expect((await t.call('POST', '/api/transactioncancel', t.fields(orderId, 10_000))).status).toBe(200);
    expect(t.sandbox.transaction(orderId)?.status).toBe('canceled');
  });

  it('refuses unknown or ill-typed switches with 400', async () => {
    expect((await t.call('POST', '/_sandbox/faults', { failNext: -1 })).status).toBe(400);
    expect((await t.call('POST', '/_sandbox/faults', { failNxt: 1 })).status).toBe(400);
  });

  it('forgets payments on reset only when asked to', async () => {
    const orderId = newOrderId();
    await create(orderId);
    await t.call('POST', '/_sandbox/reset', {});
    expect(t.sandbox.transaction(orderId)).toBeDefined();
    await t.call('POST', '/_sandbox/reset', { transactions: true });
    expect(t.sandbox.transaction(orderId)).toBeUndefined();
  });
});

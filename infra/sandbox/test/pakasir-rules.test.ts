import { detailPath, newOrderId, startTestSandbox, type TestSandbox } from './harness';

/** Issue 13: the sandbox is as strict as Pakasir, by its own code. */
let t: TestSandbox;
beforeAll(async () => {
  t = await startTestSandbox();
});
afterAll(() => t.close());
afterEach(() => t.sandbox.faults.reset());

const create = (orderId: string, amount: number) =>
  t.call('POST', '/api/transactioncreate/qris', t.fields(orderId, amount));

async function feeFor(amount: number): Promise<{ fee: number; total: number }> {
  const res = await create(newOrderId(), amount);
  expect(res.status).toBe(200);
  return { fee: res.body.payment.fee, total: res.body.payment.total_payment };
}

describe("Pakasir's tiered QRIS fee", () => {
  it('is 0.7% + Rp310 up to Rp105.000 and 1% above', async () => {
    expect(await feeFor(30_000)).toEqual({ fee: 520, total: 30_520 });
    expect(await feeFor(105_000)).toEqual({ fee: 1_045, total: 106_045 });
    expect(await feeFor(105_001)).toEqual({ fee: 1_050, total: 106_051 });
    expect(await feeFor(200_000)).toEqual({ fee: 2_000, total: 202_000 });
  });

  it('rounds half up', async () => {
    expect((await feeFor(500)).fee).toBe(314); // 3.5
    expect((await feeFor(1_500)).fee).toBe(321); // 10.5
    expect((await feeFor(1_571)).fee).toBe(321); // 10.997
    expect((await feeFor(105_049)).fee).toBe(1_050); // 1050.49
    expect((await feeFor(105_050)).fee).toBe(1_051); // 1050.5
  });

  it('can be configured another way (a test of the product meeting another Pakasir)', async () => {
    const flat = await startTestSandbox({ qrisFee: () => 1_000 });
    try {
      const res = await flat.call('POST', '/api/transactioncreate/qris', flat.fields(newOrderId(), 200_000));
      expect(res.body.payment).toMatchObject({ fee: 1_000, total_payment: 201_000 });
    } finally {
      await flat.close();
    }
  });
});

describe('the Rp500 minimum', () => {
  it('refuses 1 and 499 with a 400 and an error body, and opens nothing', async () => {
    for (const amount of [1, 499]) {
      const orderId = newOrderId();
      const res = await create(orderId, amount);
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({ error: 'invalid', reason: 'amount_below_minimum' });
      expect(res.body.message).toContain('500');
      expect(t.sandbox.transaction(orderId)).toBeUndefined();
    }
  });

  it('takes 500', async () => {
    expect(await feeFor(500)).toEqual({ fee: 314, total: 814 });
  });
});

describe('a repeated order_id (strict by default)', () => {
  it('is refused with 409, whatever the amount, and the first payment stays as it was', async () => {
    const orderId = newOrderId();
    const first = await create(orderId, 15_000);
    expect(first.status).toBe(200);
    for (const amount of [15_000, 16_000]) {
      const again = await create(orderId, amount);
      expect(again.status).toBe(409);
      expect(again.body).toMatchObject({ reason: 'order_id_taken' });
    }
    expect(t.sandbox.transaction(orderId)).toMatchObject({ amount: 15_000, status: 'pending' });
  });
});

describe('a lost answer (loseAnswerNext)', () => {
  it('carries the create out but drops the connection; detail then shows the payment', async () => {
    t.sandbox.faults.set({ loseAnswerNext: 1, failPaths: ['transactioncreate'] });
    const orderId = newOrderId();
    await expect(create(orderId, 20_000)).rejects.toThrow();
    expect(t.sandbox.faults.get().loseAnswerNext).toBe(0);
    const detail = await t.call('GET', detailPath(t.fields(orderId, 20_000)));
    expect(detail.body.transaction).toMatchObject({ order_id: orderId, status: 'pending' });
    expect((await create(orderId, 20_000)).status).toBe(409); // strict: no second create
  });
});

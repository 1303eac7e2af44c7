import { startPakasirSandbox, type PakasirSandbox } from '@quickcart/sandbox';
import { PakasirClient, paymentState } from '../src';
import { startFakeGateway } from './fake-gateway';

const PROJECT = 'toko-state';
const API_KEY = 'sk-state';

let sandbox: PakasirSandbox;
let pakasir: PakasirClient;
beforeAll(async () => {
  sandbox = await startPakasirSandbox({ port: 0, projects: { [PROJECT]: { apiKey: API_KEY } } });
  pakasir = new PakasirClient({ baseUrl: sandbox.url, project: PROJECT, apiKey: API_KEY, timeoutMs: 2_000 });
});
afterAll(() => sandbox.close());
afterEach(() => sandbox.faults.reset());

let seq = 0;
async function invoice(amount = 20_000) {
  const ref = { orderId: `ST${process.pid}N${++seq}`, amount };
  await pakasir.createQris(ref);
  return ref;
}

describe('paymentState: paid, unpaid or unknown, one rule for every caller', () => {
  it('is unpaid while pending and paid once completed with the order amount', async () => {
    const ref = await invoice();
    expect(await paymentState(pakasir, ref)).toEqual({ state: 'unpaid', status: 'pending' });
    await pakasir.simulatePayment(ref);
    expect(await paymentState(pakasir, ref)).toMatchObject({ state: 'paid' });
  });

  it('names how it was paid from detail: QRIS, or a virtual account chosen on the page with its fee', async () => {
    const qris = await invoice();
    await pakasir.simulatePayment(qris);
    expect(await paymentState(pakasir, qris)).toMatchObject({
      state: 'paid',
      paidVia: { method: 'qris', fee: 450 },
    });
    const va = await invoice(30_000);
    const chosen = await fetch(
      `${sandbox.url}/pay/${PROJECT}/30000/method?order_id=${va.orderId}&method=cimb_niaga_va`,
      { method: 'POST', redirect: 'manual' },
    );
    expect(chosen.status).toBe(303);
    await pakasir.simulatePayment(va);
    expect(await paymentState(pakasir, va)).toMatchObject({
      state: 'paid',
      paidVia: { method: 'cimb_niaga_va', fee: 3_500 },
    });
  });

  it('takes the fee from detail when it reports one, else the published fee of the method, else none', async () => {
    const answer = (extra: object) =>
      JSON.stringify({
        transaction: { amount: 10_000, order_id: 'X1', project: PROJECT, status: 'completed', ...extra },
      });
    const cases: [object, unknown][] = [
      [
        { payment_method: 'bni_va', fee: 4_100 },
        { method: 'bni_va', fee: 4_100 },
      ],
      [
        { payment_method: 'bni_va', total_payment: 13_900 },
        { method: 'bni_va', fee: 3_900 },
      ],
      [{ payment_method: 'sampoerna_va' }, { method: 'sampoerna_va', fee: 2_000 }],
      [{ payment_method: 'ovo' }, { method: 'ovo', fee: null }],
      [{ payment_method: "Robert'); DROP" }, undefined],
      [{}, undefined],
    ];
    for (const [extra, paidVia] of cases) {
      const fake = await startFakeGateway(200, answer(extra));
      try {
        const odd = new PakasirClient({ baseUrl: fake.url, project: PROJECT, apiKey: API_KEY });
        const state = await paymentState(odd, { orderId: 'X1', amount: 10_000 });
        expect(state.state).toBe('paid');
        expect(state.state === 'paid' ? state.paidVia : 'not paid').toEqual(paidVia);
      } finally {
        await fake.close();
      }
    }
  });

  it('is not paid when the completed amount is not the order amount', async () => {
    const ref = await invoice();
    await pakasir.simulatePayment(ref);
    expect(await paymentState(pakasir, { ...ref, amount: ref.amount + 1 })).toMatchObject({
      state: expect.stringMatching(/unpaid|unknown/),
    });
  });

  it('is unknown on a 4xx, never unpaid', async () => {
    const ref = await invoice();
    sandbox.faults.set({ failNext: 1, failStatus: 401, failPaths: ['transactiondetail'] });
    expect(await paymentState(pakasir, ref)).toEqual({ state: 'unknown', reason: 'pakasir_http_401' });
  });

  it('is unknown on an answer of an unexpected shape', async () => {
    const fake = await startFakeGateway(200, JSON.stringify({ transaction: { status: 'completed' } }));
    try {
      const odd = new PakasirClient({ baseUrl: fake.url, project: PROJECT, apiKey: API_KEY });
      expect(await paymentState(odd, { orderId: 'X1', amount: 1_000 })).toEqual({
        state: 'unknown',
        reason: 'contract',
      });
    } finally {
      await fake.close();
    }
  });

  it('throws an outage, to be asked again', async () => {
    const ref = await invoice();
    sandbox.faults.set({ failNext: 1, failStatus: 503, failPaths: ['transactiondetail'] });
    await expect(paymentState(pakasir, ref)).rejects.toMatchObject({ retryable: true });
  });
});

import { Invalid, Upstream } from '@quickcart/kit';
import { startPakasirSandbox, type PakasirSandbox } from '@quickcart/sandbox';
import { PakasirClient } from '../src';
import { startFakeGateway } from './fake-gateway';

const PROJECT = 'toko-failures';
// Characters that URL-encode differently, so both spellings of the key are checked for leaks.
const API_KEY = 'sk/live+S3cr3t=key';

let sandbox: PakasirSandbox;
let pakasir: PakasirClient;
beforeAll(async () => {
  sandbox = await startPakasirSandbox({ port: 0, projects: { [PROJECT]: { apiKey: API_KEY } } });
  pakasir = new PakasirClient({ baseUrl: sandbox.url, project: PROJECT, apiKey: API_KEY, timeoutMs: 2_000 });
});
afterAll(() => sandbox.close());
afterEach(() => sandbox.faults.reset());

let seq = 0;
const ref = (amount = 10_000) => ({ orderId: `FL${process.pid}T${Date.now() % 100000}N${++seq}`, amount });

/** The Upstream a call failed with; fails the test if it succeeded or failed otherwise. */
async function failure(call: Promise<unknown>): Promise<Upstream> {
  const error = await call.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(Upstream);
  const upstream = error as Upstream;
  for (const leak of [
    API_KEY,
    encodeURIComponent(API_KEY),
    new URLSearchParams({ k: API_KEY }).toString().slice(2),
  ]) {
    expect(upstream.message).not.toContain(leak);
    expect(JSON.stringify(upstream.details)).not.toContain(leak);
  }
  return upstream;
}

describe('PakasirClient when Pakasir misbehaves', () => {
  it('makes a 5xx retryable', async () => {
    sandbox.faults.set({ failNext: 1, failStatus: 503 });
    const error = await failure(pakasir.createQris(ref()));
    expect(error).toMatchObject({ retryable: true, reason: 'pakasir_http_503' });
  });

  it('makes a 429 retryable', async () => {
    sandbox.faults.set({ failNext: 1, failStatus: 429 });
    expect(await failure(pakasir.createQris(ref()))).toMatchObject({
      retryable: true,
      reason: 'pakasir_http_429',
    });
  });

  it('makes a 404 final, and keeps the key out of the message though it was in the URL', async () => {
    const error = await failure(pakasir.detail(ref()));
    expect(error).toMatchObject({ retryable: false, reason: 'pakasir_http_404' });
    expect(error.message).toContain('/api/transactiondetail');
  });

  it('makes a wrong key (401) final', async () => {
    const wrong = new PakasirClient({ baseUrl: sandbox.url, project: PROJECT, apiKey: 'not-the-key' });
    const error = await failure(wrong.createQris(ref()));
    expect(error).toMatchObject({ retryable: false, reason: 'pakasir_http_401' });
  });

  it('makes a timeout retryable', async () => {
    sandbox.faults.set({ delayMs: 500 });
    const impatient = new PakasirClient({
      baseUrl: sandbox.url,
      project: PROJECT,
      apiKey: API_KEY,
      timeoutMs: 100,
    });
    const error = await failure(impatient.detail(ref()));
    expect(error).toMatchObject({ retryable: true, reason: 'timeout' });
  });

  it('makes an unreachable gateway retryable', async () => {
    const gone = await startFakeGateway(200, '{}');
    await gone.close();
    const client = new PakasirClient({ baseUrl: gone.url, project: PROJECT, apiKey: API_KEY });
    expect(await failure(client.detail(ref()))).toMatchObject({ retryable: true, reason: 'network' });
  });

  it('makes an answer that breaks the contract a final contract error naming the field', async () => {
    const fake = await startFakeGateway(200, JSON.stringify({ payment: { order_id: 'X', amount: 'lots' } }));
    try {
      const client = new PakasirClient({ baseUrl: fake.url, project: PROJECT, apiKey: API_KEY });
      const error = await failure(client.createQris(ref()));
      expect(error).toMatchObject({ retryable: false, reason: 'contract' });
      expect(error.message).toContain('payment.amount');
    } finally {
      await fake.close();
    }
  });

  it('makes a body that is not JSON a contract error, even where any object would do', async () => {
    const fake = await startFakeGateway(200, '<html>maintenance</html>');
    try {
      const client = new PakasirClient({ baseUrl: fake.url, project: PROJECT, apiKey: API_KEY });
      expect(await failure(client.cancel(ref()))).toMatchObject({ retryable: false, reason: 'contract' });
    } finally {
      await fake.close();
    }
  });

  it('accepts amounts sent as numeric strings', async () => {
    const answer = {
      transaction: {
        amount: '10000',
        order_id: 'STR-1',
        project: PROJECT,
        status: 'completed',
        payment_method: 'qris',
        completed_at: '2024-09-10T08:07:02.819+07:00',
      },
    };
    const fake = await startFakeGateway(200, JSON.stringify(answer));
    try {
      const client = new PakasirClient({ baseUrl: fake.url, project: PROJECT, apiKey: API_KEY });
      expect(await client.detail({ orderId: 'STR-1', amount: 10_000 })).toEqual({
        project: PROJECT,
        orderId: 'STR-1',
        amount: 10_000,
        status: 'completed',
        paymentMethod: 'qris',
        completedAt: '2024-09-10T01:07:02.819Z',
        fee: null,
        totalPayment: null,
      });
    } finally {
      await fake.close();
    }
  });

  it('refuses a fractional or missing amount before calling anyone', async () => {
    await expect(pakasir.createQris({ orderId: 'X', amount: 10.5 })).rejects.toBeInstanceOf(Invalid);
    await expect(pakasir.detail({ orderId: '', amount: 1_000 })).rejects.toBeInstanceOf(Invalid);
  });
});

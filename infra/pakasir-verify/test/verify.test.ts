import { parseQrisFeeTiers, PAKASIR_QRIS_FEE_TIERS } from '@quickcart/pakasir';
import { startPakasirSandbox, type PakasirSandboxOptions } from '@quickcart/sandbox';
import { createServer } from 'node:net';
import { exitCodeOf, renderTable, verifyPakasir } from '../src/verify';

/** `npm run pakasir:verify` against QuickCart's own Pakasir sandbox, over HTTP. */
const PROJECT = 'verify-test';
const API_KEY = 'verify-secret-key-91c2';
const feeModel = parseQrisFeeTiers(PAKASIR_QRIS_FEE_TIERS);

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

async function verifyAgainst(sandboxOptions: Partial<PakasirSandboxOptions>, withWebhook: boolean) {
  const port = await freePort();
  const sandbox = await startPakasirSandbox({
    ...sandboxOptions,
    projects: {
      [PROJECT]: { apiKey: API_KEY, webhookUrl: withWebhook ? `http://127.0.0.1:${port}/hook` : undefined },
    },
  });
  try {
    const rows = await verifyPakasir({
      baseUrl: sandbox.url,
      project: PROJECT,
      apiKey: API_KEY,
      feeModel,
      webhook: withWebhook ? { listenPort: port, waitMs: 1_500 } : undefined,
      settleMs: 3_000,
    });
    return { rows, verdict: (question: string) => rows.find((r) => r.question === question)?.verdict };
  } finally {
    await sandbox.close();
  }
}

it('agrees on every row with the strict sandbox, webhook included, and exits 0', async () => {
  const { rows, verdict } = await verifyAgainst({}, true);
  expect(rows.map((r) => r.question)).toEqual([
    'transactioncreate twice for one order_id',
    'transactioncreate, amount 1',
    'transactioncreate, amount 499',
    'fee at amount 500',
    'fee at amount 105000',
    'fee at amount 105001',
    'transactiondetail of a pending order',
    'transactiondetail of an order never created',
    'paymentsimulation, then transactiondetail',
    'transactiondetail of a paid order, another amount',
    'transactioncancel after payment',
    'webhook body',
    'webhook headers',
    'webhook retries after a 500',
    'bni_va: fee at amount 10000',
    'bri_va: fee at amount 10000',
    'cimb_niaga_va: fee at amount 10000',
    'maybank_va: fee at amount 10000',
    'permata_va: fee at amount 10000',
    'bnc_va: fee at amount 10000',
    'atm_bersama_va: fee at amount 10000',
    'sampoerna_va: fee at amount 10000',
    'artha_graha_va: fee at amount 10000',
    'transactiondetail of an order paid by bni_va',
    'the payment page without qris_only, with redirect',
  ]);
  expect(rows.find((r) => r.question === 'sampoerna_va: fee at amount 10000')?.answer).toBe(
    'fee 2000, total_payment 12000, payment_method sampoerna_va',
  );
  expect(rows.find((r) => r.question === 'transactiondetail of an order paid by bni_va')?.answer).toBe(
    'status completed, payment_method bni_va, fee 3500, total_payment 13500',
  );
  expect(rows.filter((r) => r.verdict !== 'agrees')).toEqual([
    expect.objectContaining({ question: 'webhook retries after a 500', verdict: 'info' }),
  ]);
  expect(rows.find((r) => r.question === 'fee at amount 105001')?.answer).toBe(
    'fee 1050, total_payment 106051',
  );
  expect(rows.find((r) => r.question === 'webhook body')?.answer).toContain('"is_sandbox":true');
  expect(verdict('webhook retries after a 500')).toBe('info');
  expect(exitCodeOf(rows)).toBe(0);
  const table = renderTable(rows);
  expect(table).toContain('agrees   fee at amount 105000');
  expect(table).not.toContain(API_KEY);
});

it('shows a flat-fee Pakasir as differing on the fee rows, skips webhooks without a URL, and exits 1', async () => {
  const { rows, verdict } = await verifyAgainst({ qrisFee: () => 1_000 }, false);
  expect(verdict('fee at amount 105000')).toBe('differs');
  expect(verdict('fee at amount 105001')).toBe('differs');
  expect(verdict('fee at amount 500')).toBe('differs');
  expect(rows.find((r) => r.question === 'fee at amount 105001')).toMatchObject({
    answer: 'fee 1000, total_payment 106001',
    assumption: 'fee 1050, total_payment 106051 (QRIS_FEE_TIERS)',
  });
  expect(verdict('transactioncreate twice for one order_id')).toBe('agrees');
  expect(rows.filter((r) => r.question.startsWith('webhook')).map((r) => r.answer)).toEqual(
    Array(3).fill('skipped: no URL (PAKASIR_VERIFY_WEBHOOK_URL)'),
  );
  expect(exitCodeOf(rows)).toBe(1);
  expect(renderTable(rows)).toContain('DIFFERS  fee at amount 105001');
});

it('shows a Pakasir charging another virtual-account fee as differing on those rows, and exits 1', async () => {
  const { rows, verdict } = await verifyAgainst(
    { methodFee: (method) => (method === 'bri_va' ? 4_000 : undefined) },
    false,
  );
  expect(verdict('bri_va: fee at amount 10000')).toBe('differs');
  expect(verdict('bni_va: fee at amount 10000')).toBe('agrees');
  expect(verdict('transactiondetail of an order paid by bni_va')).toBe('agrees');
  expect(rows.find((r) => r.question === 'bri_va: fee at amount 10000')?.answer).toBe(
    'fee 4000, total_payment 14000, payment_method bri_va',
  );
  expect(exitCodeOf(rows)).toBe(1);
});

it('shows a Pakasir that accepts a repeated order_id as differing', async () => {
  const { rows, verdict } = await verifyAgainst({ strictOrderIds: false }, false);
  expect(verdict('transactioncreate twice for one order_id')).toBe('differs');
  expect(rows[0]?.answer).toBe('accepted: the same QRIS string');
  expect(exitCodeOf(rows)).toBe(1);
});

it('answers "error", never "differs", when Pakasir cannot be reached, and exits 1', async () => {
  const rows = await verifyPakasir({
    baseUrl: `http://127.0.0.1:${await freePort()}`,
    project: PROJECT,
    apiKey: API_KEY,
    feeModel,
    settleMs: 100,
  });
  expect(new Set(rows.map((r) => r.verdict))).toEqual(new Set(['error']));
  expect(exitCodeOf(rows)).toBe(1);
  expect(renderTable(rows)).not.toContain(API_KEY);
});

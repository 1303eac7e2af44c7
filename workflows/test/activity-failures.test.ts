import type { CatalogClient } from '@quickcart/catalog/client';
import { Conflict, createLogger, Invalid, NotFound, Upstream } from '@quickcart/kit';
import { NOTIFY_REASONS, NotifyClient, startNotifyRecorder, type NotifyRecorder } from '@quickcart/notify';
import type { OrdersClient } from '@quickcart/orders/client';
import { PakasirClient } from '@quickcart/pakasir';
import { startPakasirSandbox, type PakasirSandbox } from '@quickcart/sandbox';
import { FAILURE } from '@quickcart/workflow-api';
import { ApplicationFailure } from '@temporalio/common';
import { MockActivityEnvironment } from '@temporalio/testing';
import { createMessageActivities, createPaymentActivities } from '../src/worker/activities';
import { asActivityFailure } from '../src/worker/activities/failures';

/**
 * How an activity's error reaches the workflow (docs/architecture.md §2.1): a refusal ends the step for
 * good, an outage is retried, Telegram's 429 waits its retry_after. Each activity runs as the worker runs
 * it (MockActivityEnvironment gives it an activity Context), against the notify recorder and the Pakasir
 * sandbox over HTTP.
 */
const PROJECT = 'qc-failures';
const API_KEY = 'failures-key';
const TOKEN = 'activity-failures-token-0123456789';
const logger = createLogger('worker', 'silent');
const warn = jest.spyOn(logger, 'warn');
let recorder: NotifyRecorder;
let sandbox: PakasirSandbox;
let pakasir: PakasirClient;
/** Orders' side of a refused message: the customers marked as having blocked the bot. */
const markedBlocked: number[] = [];
const orders = {
  setBlockedBot: async (chatId: number, blocked: boolean) => void (blocked && markedBlocked.push(chatId)),
} as unknown as OrdersClient;
const catalog = {} as CatalogClient;

const messages = () =>
  createMessageActivities({
    notify: new NotifyClient({ baseUrl: recorder.url, token: TOKEN }),
    orders,
    catalog,
    logger,
  });
const payments = () => createPaymentActivities({ pakasir, orders, catalog, logger });
/** Runs an activity in a mocked activity Context, as the worker would on this attempt. */
const run = <P extends unknown[], R>(fn: (...args: P) => Promise<R>, ...args: P): Promise<R> =>
  new MockActivityEnvironment({ attempt: 1 }).run(fn, ...args);
const failure = (p: Promise<unknown>) =>
  p.then(
    () => undefined,
    (error: unknown) => error,
  );

let seq = 0;
const chatId = () => 700_000 + process.pid * 100 + ++seq;
const text = { template: 'admin.order_expired', data: { invoiceId: 'INVFAIL' } } as const;

beforeAll(async () => {
  recorder = await startNotifyRecorder({ token: TOKEN });
  sandbox = await startPakasirSandbox({ projects: { [PROJECT]: { apiKey: API_KEY } } });
  pakasir = new PakasirClient({ baseUrl: sandbox.url, project: PROJECT, apiKey: API_KEY });
});
afterAll(async () => {
  await recorder?.close();
  await sandbox?.close();
});
afterEach(() => {
  sandbox.faults.reset();
  warn.mockClear();
});

describe('message activities', () => {
  it('leaves an outage as it is, for the retry policy to back off', async () => {
    recorder.failNext('send', 1);
    const error = await failure(
      run(messages().sendMessage, { chatId: chatId(), key: `down:${seq}`, message: text }),
    );
    expect(error).toBeInstanceOf(Upstream);
    expect(error).not.toBeInstanceOf(ApplicationFailure);
    // The next attempt goes through, once.
    const again = await run(messages().sendMessage, { chatId: 1, key: `down:${seq}`, message: text });
    expect(again).toHaveLength(1);
  });

  it('ends a send to a customer who blocked the bot for good, and has orders remember them', async () => {
    const customer = chatId();
    recorder.block(customer);
    const error = await failure(
      run(messages().sendMessage, { chatId: customer, key: `bb:${seq}`, message: text }),
    );
    expect(error).toMatchObject({ type: FAILURE.botBlocked, nonRetryable: true });
    expect(markedBlocked).toContain(customer);
    expect(warn).toHaveBeenCalledWith(
      expect.stringMatching(/refused/),
      expect.objectContaining({ chatId: customer, reason: NOTIFY_REASONS.botBlocked }),
    );
  });

  it('sends the QR as a photo it draws itself, answering its message id', async () => {
    const customer = chatId();
    const messageId = await run(messages().sendQr, {
      chatId: customer,
      key: `qr:${seq}`,
      message: {
        template: 'payment.qris',
        qrString: '00020101021226',
        data: {
          kind: 'deposit',
          invoiceId: 'INVQR',
          totalPayment: 10_520,
          fee: 520,
          expiresAt: new Date(0).toISOString(),
          checkoutUrl: 'https://example.test/pay',
        },
      },
    });
    const [sent] = recorder.to(customer);
    expect(sent.messageIds).toEqual([messageId]);
    expect(sent.request).toMatchObject({ action: 'send', message: { template: 'payment.qris' } });
  });
});

describe('payment activities against Pakasir', () => {
  it('refuses for good what Pakasir refuses (a 4xx): the create below its minimum', async () => {
    const error = await failure(
      run(payments().createQrisInvoice, { invoiceId: `INVMIN${process.pid}`, amount: 400 }),
    );
    expect(error).toMatchObject({ type: FAILURE.refused, nonRetryable: true });
  });

  it('retries a Pakasir outage (5xx) on the status check', async () => {
    sandbox.faults.set({ failNext: 1, failStatus: 503, failPaths: ['transactiondetail'] });
    const error = await failure(
      run(payments().paymentStatus, { invoiceId: `INV503${process.pid}`, amount: 20_000 }),
    );
    expect(error).toMatchObject({ retryable: true });
    expect(error).not.toBeInstanceOf(ApplicationFailure);
  });

  it('goes on when Pakasir refuses a cancel (a 4xx must not block expiry), and logs it', async () => {
    const invoiceId = `INVCNL${process.pid}${++seq}`;
    await pakasir.createQris({ orderId: invoiceId, amount: 20_000 });
    sandbox.faults.set({ failCancel: 1 });
    await expect(run(payments().cancelQrisInvoice, { invoiceId, amount: 20_000 })).resolves.toBeUndefined();
    expect(warn).toHaveBeenCalledWith(expect.stringMatching(/refused the cancel/), expect.anything());
  });

  it('retries a cancel Pakasir could not answer (5xx)', async () => {
    const invoiceId = `INVCNL${process.pid}${++seq}`;
    await pakasir.createQris({ orderId: invoiceId, amount: 20_000 });
    sandbox.faults.set({ failNext: 1, failStatus: 502, failPaths: ['transactioncancel'] });
    const error = await failure(run(payments().cancelQrisInvoice, { invoiceId, amount: 20_000 }));
    expect(error).toMatchObject({ retryable: true });
  });
});

describe('asActivityFailure: the one place an error becomes retryable or not', () => {
  it.each([
    ['out_of_stock', FAILURE.outOfStock],
    ['insufficient_balance', FAILURE.insufficientBalance],
    ['bot_blocked', FAILURE.botBlocked],
    ['voucher_used', FAILURE.refused],
  ])('makes the refusal %s a non-retryable %s, keeping its reason', (reason, type) => {
    const error = asActivityFailure(new Conflict(`refused: ${reason}`, reason, { invoiceId: 'INV1' }));
    expect(error).toBeInstanceOf(ApplicationFailure);
    expect(error).toMatchObject({ type, nonRetryable: true, details: [{ reason, invoiceId: 'INV1' }] });
  });

  it('makes any other refusal of a service (a 400, a 404, a 4xx from Pakasir) non-retryable', () => {
    for (const refusal of [
      new Invalid('bad', 'invalid'),
      new NotFound('gone', 'order'),
      new Upstream('Pakasir answered 401', false, 'pakasir_http_401'),
    ])
      expect(asActivityFailure(refusal)).toMatchObject({ type: FAILURE.refused, nonRetryable: true });
  });

  it('leaves an outage and an unknown error untouched, to be retried', () => {
    const outage = new Upstream('catalog is down', true, 'http_503');
    const unknown = new Error('socket hang up');
    expect(asActivityFailure(outage)).toBe(outage);
    expect(asActivityFailure(unknown)).toBe(unknown);
  });

  it("makes Telegram's 429 a retryable RateLimited failure that waits its retry_after", () => {
    // The whole way through /notify: rate-limited-messages.test.ts.
    const limited = new Upstream('Too Many Requests', true, 'rate_limited', { retryAfterSeconds: 7 });
    expect(asActivityFailure(limited)).toMatchObject({
      type: 'RateLimited',
      nonRetryable: false,
      nextRetryDelay: '7s',
    });
  });

  it('waits no retry_after that is not a positive number of seconds', () => {
    const odd = new Upstream('Too Many Requests', true, 'rate_limited', { retryAfterSeconds: 'soon' });
    expect(asActivityFailure(odd)).toBe(odd);
  });
});

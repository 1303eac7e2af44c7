import type { CatalogClient } from '@quickcart/catalog/client';
import { createLogger } from '@quickcart/kit';
import type { OrdersClient } from '@quickcart/orders/client';
import type { Order } from '@quickcart/orders/contract';
import { PakasirClient } from '@quickcart/pakasir';
import { startPakasirSandbox, type PakasirSandbox } from '@quickcart/sandbox';
import { MockActivityEnvironment } from '@temporalio/testing';
import { createPaymentActivities } from '../src/worker/activities';
import type { QrisInvoice } from '../src/worker/activities/payments';

/** Issue 13: a retried create against a Pakasir that refuses a second create for an order_id (strict). */
const PROJECT = 'qc-create';
const API_KEY = 'create-key';
let sandbox: PakasirSandbox;
let pakasir: PakasirClient;
const logger = createLogger('worker', 'silent');
const warn = jest.spyOn(logger, 'warn');
/** What orders holds for the order: the quote (Rp30.000 + 520), no Pakasir answer recorded. */
const stored = {
  paymentFee: 520,
  total: 30_520,
  invoiceTotalPayment: null,
  quotedFee: null,
} as Partial<Order>;
const recorded: unknown[] = [];
const orders = {
  order: async () => stored,
  recordPakasirInvoice: async (_id: string, body: { fee: number }) => {
    recorded.push(body);
    return { ...stored, quotedFee: 520, paymentFee: body.fee };
  },
} as unknown as OrdersClient;
const activities = () => createPaymentActivities({ pakasir, logger, orders, catalog: {} as CatalogClient });

let seq = 0;
const newInvoice = () => ({ invoiceId: `INVCRT${process.pid}${++seq}`, amount: 30_000 });
const onAttempt = (attempt: number, a: { invoiceId: string; amount: number }) =>
  new MockActivityEnvironment({ attempt }).run(activities().createQrisInvoice, a) as Promise<QrisInvoice>;

beforeAll(async () => {
  sandbox = await startPakasirSandbox({ projects: { [PROJECT]: { apiKey: API_KEY } } });
  pakasir = new PakasirClient({ baseUrl: sandbox.url, project: PROJECT, apiKey: API_KEY });
});
afterAll(() => sandbox?.close());
afterEach(() => {
  sandbox.faults.reset();
  warn.mockClear();
  recorded.length = 0;
});

describe('createQrisInvoice', () => {
  it("answers Pakasir's QRIS string, fee and total on a first attempt", async () => {
    const a = newInvoice();
    const invoice = await onAttempt(1, a);
    expect(invoice).toMatchObject({ fee: 520, totalPayment: 30_520, hostedPageOnly: false });
    expect(invoice.paymentNumber).toBe(sandbox.transaction(a.invoiceId)!.paymentNumber);
    // "🏦 Metode lain": the same invoice and amount on Pakasir's page, without qris_only.
    expect(invoice.otherMethodsUrl).toBe(pakasir.paymentPageUrl({ orderId: a.invoiceId, amount: a.amount }));
    expect(invoice.otherMethodsUrl).not.toContain('qris_only');
    expect(invoice.checkoutUrl).toContain('qris_only=1');
  });

  it('on a retry, creates when Pakasir has no invoice for the order yet', async () => {
    const a = newInvoice();
    const invoice = await onAttempt(2, a);
    expect(invoice.paymentNumber).toBe(sandbox.transaction(a.invoiceId)!.paymentNumber);
  });

  it('on a retry after a lost answer, sends no second create: the QR carries the checkout page', async () => {
    const a = newInvoice();
    sandbox.faults.set({ loseAnswerNext: 1, failPaths: ['transactioncreate'] });
    await expect(onAttempt(1, a)).rejects.toMatchObject({ retryable: true });
    const invoice = await onAttempt(2, a);
    const checkoutUrl = pakasir.checkoutUrl({ orderId: a.invoiceId, amount: a.amount });
    expect(invoice).toEqual({
      paymentNumber: checkoutUrl,
      checkoutUrl,
      otherMethodsUrl: pakasir.paymentPageUrl({ orderId: a.invoiceId, amount: a.amount }),
      fee: 520,
      totalPayment: 30_520,
      expiredAt: null,
      hostedPageOnly: true,
    });
    expect(warn).toHaveBeenCalledWith(expect.stringMatching(/answer was lost/), { invoiceId: a.invoiceId });
  });

  it('a create refused because an earlier one landed after all is the same: the checkout page', async () => {
    const a = newInvoice();
    await pakasir.createQris({ orderId: a.invoiceId, amount: a.amount }); // the in-flight earlier create
    expect(await onAttempt(1, a)).toMatchObject({ hostedPageOnly: true });
  });

  it("passes any other refusal on (Pakasir's minimum)", async () => {
    await expect(onAttempt(1, { invoiceId: newInvoice().invoiceId, amount: 400 })).rejects.toMatchObject({
      nonRetryable: true,
      message: expect.stringContaining('answered 400'),
    });
  });
});

describe('recordInvoiceFee', () => {
  it("stores Pakasir's fee and total, and warns when the quote said another fee", async () => {
    const a = { invoiceId: newInvoice().invoiceId, amount: 30_000 };
    await activities().recordInvoiceFee({ ...a, fee: 520, totalPayment: 30_520 });
    expect(warn).not.toHaveBeenCalled();
    await activities().recordInvoiceFee({ ...a, fee: 600, totalPayment: 30_600 });
    expect(recorded).toEqual([
      { fee: 520, totalPayment: 30_520 },
      { fee: 600, totalPayment: 30_600 },
    ]);
    expect(warn).toHaveBeenCalledWith(
      'Pakasir charged another fee than quoted',
      expect.objectContaining({ invoiceId: a.invoiceId, quotedFee: 520, fee: 600 }),
    );
  });
});

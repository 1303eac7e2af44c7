import { qrMessage, type ShownQr } from '@quickcart/notify';
import { E2E_BOT_LINK, startRecordedSystem, type RecordedSystem } from './worker';

/**
 * Issue 13: the product against a Pakasir sandbox as strict as Pakasir (tiered fee by the sandbox's own
 * code, one create per order_id, is_sandbox in webhooks). Payments arrive by webhook only: the
 * workflow's own poll waits a minute.
 */
let sys: RecordedSystem;
beforeAll(async () => {
  sys = await startRecordedSystem({ paymentTimeout: '10m', pollInterval: '60s' });
});
afterAll(() => sys?.close());
afterEach(() => sys.stack.sandbox.faults.reset());

let nextUser = 8_700_000;
async function customer(): Promise<number> {
  const userId = ++nextUser;
  await sys.stack.orders.upsertUser({ id: userId, name: 'Putri' });
  return userId;
}

async function product(price: number): Promise<number> {
  const { id } = await sys.stack.catalog.addProduct({ name: `Canva ${price}`, price });
  await sys.stack.catalog.addStock(id, [`canva-${price}-a`, `canva-${price}-b`]);
  return id;
}

/** The QR message the gateway sends as its reply to the press, built as the gateway builds it. */
async function shownQr(order: { qr: ShownQr | null }) {
  if (!order.qr) throw new Error('the press was answered without a QR');
  const m = await qrMessage(order.qr);
  if (m.template !== 'payment.qris') throw new Error('no QR message');
  return m;
}

const delivered = (invoiceId: string) =>
  sys.stack.temporal.workflow.getHandle(`purchase-${invoiceId}`).result();

describe("Pakasir's answer is what the customer pays", () => {
  it('above Rp105.000: the order and the QR carry the fee Pakasir charged (1%), paid by an is_sandbox webhook', async () => {
    const { stack } = sys;
    const userId = await customer();
    const quote = await stack.orders.quote({ userId, productId: await product(200_000), quantity: 1 });
    expect(quote).toMatchObject({ qrisFee: 2_000, qrisTotal: 202_000 });

    const order = await stack.orders.checkout({
      userId,
      productId: quote.productId,
      quantity: 1,
      paymentMethod: 'qris',
    });
    const qr = await shownQr(order);
    const charged = stack.sandbox.transaction(order.invoiceId)!;
    expect(charged).toMatchObject({ fee: 2_000, totalPayment: 202_000 });
    expect(qr.data).toMatchObject({ totalPayment: 202_000, fee: 2_000 });
    expect(await stack.orders.order(order.invoiceId)).toMatchObject({
      paymentFee: 2_000,
      total: 202_000,
      quotedFee: 2_000,
      invoiceTotalPayment: 202_000,
    });

    stack.sandbox.pay(order.invoiceId);
    await stack.sandbox.webhooksSettled();
    expect(await delivered(order.invoiceId)).toEqual({ status: 'delivered' });
  });
});

describe('a create whose answer is lost', () => {
  it('opens one invoice only; no QR image of a URL, a button to the payment page, and the paid order is delivered', async () => {
    const { stack } = sys;
    const userId = await customer();
    const productId = await product(30_000);
    // Pakasir opens the invoice, the answer never arrives; the strict sandbox refuses a second create.
    stack.sandbox.faults.set({ loseAnswerNext: 1, failPaths: ['transactioncreate'] });

    const order = await stack.orders.checkout({ userId, productId, quantity: 1, paymentMethod: 'qris' });
    const qr = await shownQr(order);
    expect(stack.sandbox.faults.get().loseAnswerNext).toBe(0);
    const page = `${stack.sandbox.url}/pay/qc-test/30000?order_id=${order.invoiceId}&redirect=${encodeURIComponent(E2E_BOT_LINK)}`;
    expect(qr.data).toMatchObject({
      invoiceId: order.invoiceId,
      totalPayment: 30_520,
      checkoutUrl: `${page}&qris_only=1`,
      otherMethodsUrl: page,
      hostedPageOnly: true,
    });
    // A QR of a URL is no QRIS: banking apps refuse it. The message carries the page's URL instead.
    expect(qr.qrPngBase64).toBeUndefined();
    expect(stack.sandbox.transaction(order.invoiceId)).toMatchObject({ amount: 30_000, status: 'pending' });

    stack.sandbox.pay(order.invoiceId);
    expect(await delivered(order.invoiceId)).toEqual({ status: 'delivered' });
    expect(await stack.orders.order(order.invoiceId)).toMatchObject({ status: 'paid', total: 30_520 });
  });
});

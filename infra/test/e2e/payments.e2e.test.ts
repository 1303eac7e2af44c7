import { PROJECT } from '../../../services/orders/test/stack';
import { startRecordedSystem, type RecordedSystem } from './worker';
import { eventually } from './eventually';

/** The whole payment path on the real dev server: only Telegram is a stand-in (the recording /notify). */
let nextUser = 8_000_000;

describe('a QRIS purchase, end to end', () => {
  let sys: RecordedSystem;
  beforeAll(async () => {
    sys = await startRecordedSystem({ paymentTimeout: '10m', pollInterval: '60s' });
  });
  afterAll(() => sys?.close());

  it('goes from checkout to delivered content when the customer pays in the sandbox', async () => {
    const { stack, recorder } = sys;
    const { id: productId } = await stack.catalog.addProduct({ name: 'Spotify', price: 20_000 });
    await stack.catalog.addStock(productId, ['spot1:pw1', 'spot2:pw2', 'spot3:pw3']);
    const userId = ++nextUser;
    await stack.orders.upsertUser({ id: userId, name: 'Rina' });

    const order = await stack.orders.checkout({ userId, productId, quantity: 2, paymentMethod: 'qris' });
    // The QR is the press's answer: the gateway sends it as its reply and records its message.
    expect(order.qr).toMatchObject({ data: { invoiceId: order.invoiceId, totalPayment: 40_590 } });
    await stack.orders.setQrMessage(order.invoiceId, 4242);
    expect((await stack.catalog.product(productId)).stock).toBe(1); // two reserved

    // The customer pays on the sandbox's pay page; Pakasir's webhook reaches orders over HTTP.
    const payPage = await fetch(
      `${stack.sandbox.url}/pay/${PROJECT}/40000/confirm?order_id=${order.invoiceId}`,
      { method: 'POST' },
    );
    expect(payPage.status).toBe(200);

    const delivered = await eventually(
      () =>
        recorder
          .to(userId)
          .find((m) => m.request.action === 'send' && m.request.message.template === 'purchase.delivered'),
      (m) => m !== undefined,
      'the goods',
    );
    expect(delivered!.request).toMatchObject({
      message: { data: { invoiceId: order.invoiceId, quantity: 2, items: ['spot1:pw1', 'spot2:pw2'] } },
    });
    const done = await eventually(
      () => stack.orders.order(order.invoiceId),
      (o) => o.status === 'paid',
      'the paid order',
    );
    expect(done.stockItemIds).toHaveLength(2);
    expect(await stack.catalog.product(productId)).toMatchObject({
      stock: 1,
      reservedStock: 0,
      soldCount: 2,
    });
    // The admins hear of it last: wait for the workflow to finish first.
    const result = await stack.temporal.workflow.getHandle(`purchase-${order.invoiceId}`).result();
    expect(result).toEqual({ status: 'delivered' });
    // The QR the gateway showed is edited into the receipt (receiptOf), not deleted first.
    expect(recorder.templates(userId)).toEqual(['purchase.delivered']);
    expect(delivered!.request).toMatchObject({ message: { data: { receiptOf: 4242 } } });
    // The admins hear of it in orders' next digest (no gateway here to send it).
    expect(
      await stack.sql<{ key: string }>('SELECT key FROM orders.admin_digest WHERE key = $1', [
        `order-paid:${order.invoiceId}`,
      ]),
    ).toHaveLength(1);
    const audit = await stack.auditSql<{ after: { status: string } }>(
      "SELECT after FROM audit_log WHERE action = 'order.status' AND target_id = $1 ORDER BY id",
      [order.invoiceId],
    );
    expect(audit.map((a) => a.after.status)).toEqual(['pending', 'paid']);
  });
});

describe('an unpaid QRIS purchase, end to end', () => {
  let sys: RecordedSystem;
  beforeAll(async () => {
    sys = await startRecordedSystem({ paymentTimeout: '3s', pollInterval: '1s' });
  });
  afterAll(() => sys?.close());

  it('expires: the QR becomes the expiry notice, stock back, invoice cancelled at Pakasir', async () => {
    const { stack, recorder } = sys;
    const { id: productId } = await stack.catalog.addProduct({ name: 'Canva', price: 15_000 });
    await stack.catalog.addStock(productId, ['c1', 'c2']);
    const userId = ++nextUser;
    await stack.orders.upsertUser({ id: userId });

    const order = await stack.orders.checkout({ userId, productId, quantity: 1, paymentMethod: 'qris' });
    await stack.orders.setQrMessage(order.invoiceId, 4343); // the gateway's QR reply
    const result = await stack.temporal.workflow.getHandle(`purchase-${order.invoiceId}`).result();
    expect(result).toEqual({ status: 'expired' });
    // One capped call: the QR message is edited into the notice (the gateway replaces its image).
    expect(recorder.templates(userId)).toEqual(['invoice.expired']);
    expect(recorder.to(userId)[0]!.request).toMatchObject({ action: 'edit', messageId: 4343 });
    expect((await stack.orders.order(order.invoiceId)).status).toBe('expired');
    expect(await stack.catalog.product(productId)).toMatchObject({
      stock: 2,
      reservedStock: 0,
      soldCount: 0,
    });
    expect(stack.sandbox.transaction(order.invoiceId)?.status).toBe('canceled');
  });
});

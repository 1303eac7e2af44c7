import { formatRupiah } from '@quickcart/kit';
import { newOrderId, PROJECT, startTestSandbox, type TestSandbox } from './harness';

let t: TestSandbox;
beforeAll(async () => {
  t = await startTestSandbox();
});
afterAll(() => t.close());

const payUrl = (orderId: string, amount: number, suffix = '') =>
  `${t.sandbox.url}/pay/${PROJECT}/${amount}${suffix}?order_id=${orderId}&qris_only=1`;

describe('hosted pay page', () => {
  it('shows the order, the total and the QR code, and paying it fires the webhook', async () => {
    const orderId = newOrderId();
    await t.call('POST', '/api/transactioncreate/qris', t.fields(orderId, 30_000));

    const page = await fetch(payUrl(orderId, 30_000));
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain(orderId);
    expect(html).toContain(formatRupiah(30_520));
    expect(html).toMatch(/<img id="qris" alt="QRIS" src="data:image\/png;base64,[A-Za-z0-9+/=]+"/);
    const action = /<form method="post" action="([^"]+)"/.exec(html)?.[1]?.replace(/&amp;/g, '&');
    expect(action).toBe(`/pay/${PROJECT}/30000/confirm?order_id=${orderId}`);

    const confirm = await fetch(t.sandbox.url + action, { method: 'POST' });
    expect(confirm.status).toBe(200);
    expect(await confirm.text()).toContain('Pembayaran berhasil');
    expect(t.sandbox.transaction(orderId)?.status).toBe('completed');
    await t.sandbox.webhooksSettled();
    expect(t.receiver.for(orderId)).toHaveLength(1);
  });

  it('answers 404 for an unknown order or a wrong amount', async () => {
    expect((await fetch(payUrl(newOrderId(), 30_000))).status).toBe(404);
    const orderId = newOrderId();
    await t.call('POST', '/api/transactioncreate/qris', t.fields(orderId, 30_000));
    expect((await fetch(payUrl(orderId, 31_000))).status).toBe(404);
    expect((await fetch(payUrl(orderId, 31_000, '/confirm'), { method: 'POST' })).status).toBe(404);
  });

  it('offers no pay button once the payment is cancelled, and refuses to confirm it', async () => {
    const orderId = newOrderId();
    await t.call('POST', '/api/transactioncreate/qris', t.fields(orderId, 30_000));
    await t.call('POST', '/api/transactioncancel', t.fields(orderId, 30_000));
    const html = await (await fetch(payUrl(orderId, 30_000))).text();
    expect(html).toContain('Dibatalkan');
    expect(html).not.toContain('<form');
    expect((await fetch(payUrl(orderId, 30_000, '/confirm'), { method: 'POST' })).status).toBe(409);
  });
});

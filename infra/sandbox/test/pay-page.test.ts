import { formatRupiah } from '@quickcart/kit';
import { detailPath, newOrderId, PROJECT, startTestSandbox, type TestSandbox } from './harness';

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

/** The page without qris_only (docs/features.md §6.1): the other methods, each with its fee. */
describe('hosted pay page, other methods', () => {
  const pageUrl = (orderId: string, amount: number, extra = '') =>
    `${t.sandbox.url}/pay/${PROJECT}/${amount}?order_id=${orderId}${extra}`;
  const formAction = (html: string, id: string) =>
    new RegExp(`<form method="post" action="([^"]+)">\\s*<button class="btn method" id="${id}"`)
      .exec(html)?.[1]
      ?.replace(/&amp;/g, '&');

  it('lists every method with its fee; a virtual account chosen there is paid with its fee, and sent in the webhook and detail', async () => {
    const orderId = newOrderId();
    await t.call('POST', '/api/transactioncreate/qris', t.fields(orderId, 30_000));
    const list = await (await fetch(pageUrl(orderId, 30_000, '&redirect=https://t.me/toko_bot'))).text();
    for (const name of [
      'QRIS',
      'BNI Virtual Account',
      'Permata Virtual Account',
      'Sampoerna Virtual Account',
    ])
      expect(list).toContain(name);
    expect(list).toContain(`BNI Virtual Account · ${formatRupiah(33_500)}`);
    expect(list).toContain(`Sampoerna Virtual Account · ${formatRupiah(32_000)}`);
    expect(list).toContain(`QRIS · ${formatRupiah(30_520)}`);

    const chosen = await fetch(t.sandbox.url + formAction(list, 'method-bni_va'), {
      method: 'POST',
      redirect: 'manual',
    });
    expect(chosen.status).toBe(303);
    const va = await (await fetch(t.sandbox.url + chosen.headers.get('location'))).text();
    expect(va).toContain('BNI Virtual Account');
    expect(va).toMatch(/<div class="total" id="va-number">8808\d{12}<\/div>/);
    expect(va).toContain(formatRupiah(33_500));
    expect(t.sandbox.transaction(orderId)).toMatchObject({
      paymentMethod: 'bni_va',
      fee: 3_500,
      totalPayment: 33_500,
    });

    const action = /<form method="post" action="([^"]+\/confirm[^"]*)"/.exec(va)?.[1]?.replace(/&amp;/g, '&');
    const paid = await (await fetch(t.sandbox.url + action, { method: 'POST' })).text();
    expect(paid).toContain('telah dibayar dengan BNI Virtual Account');
    expect(paid).toContain('<a class="btn" id="back" href="https://t.me/toko_bot">');
    await t.sandbox.webhooksSettled();
    expect(t.receiver.for(orderId)).toEqual([
      expect.objectContaining({ amount: 30_000, payment_method: 'bni_va', status: 'completed' }),
    ]);
    const detail = await t.call('GET', detailPath(t.fields(orderId, 30_000)));
    expect(detail.body).toMatchObject({
      transaction: { amount: 30_000, payment_method: 'bni_va', fee: 3_500, total_payment: 33_500 },
    });
  });

  it('with qris_only shows the QR at once; a method is not switched once paid, nor an unknown one', async () => {
    const orderId = newOrderId();
    await t.call('POST', '/api/transactioncreate/qris', t.fields(orderId, 20_000));
    const qrisOnly = await (await fetch(pageUrl(orderId, 20_000, '&qris_only=1'))).text();
    expect(qrisOnly).toContain('id="qris"');
    expect(qrisOnly).not.toContain('method-bni_va');
    const choose = (method: string) =>
      fetch(`${t.sandbox.url}/pay/${PROJECT}/20000/method?order_id=${orderId}&method=${method}`, {
        method: 'POST',
        redirect: 'manual',
      });
    expect((await choose('gold_bars')).status).toBe(404);
    t.sandbox.pay(orderId);
    expect((await choose('bri_va')).status).toBe(409);
    expect(t.sandbox.transaction(orderId)).toMatchObject({ paymentMethod: 'qris', fee: 450 });
  });

  it('opens a virtual account through the API as Pakasir documents it (transactioncreate/{method})', async () => {
    const orderId = newOrderId();
    const res = await t.call('POST', '/api/transactioncreate/permata_va', t.fields(orderId, 10_000));
    expect(res.body).toMatchObject({
      payment: { payment_method: 'permata_va', fee: 3_500, total_payment: 13_500 },
    });
    expect(
      (await t.call('POST', '/api/transactioncreate/gold_bars', t.fields(newOrderId(), 10_000))).status,
    ).toBe(404);
  });
});

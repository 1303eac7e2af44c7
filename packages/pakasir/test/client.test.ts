import { startPakasirSandbox, type PakasirSandbox } from '@quickcart/sandbox';
import express from 'express';
import type { Server } from 'node:http';
import { isPaid, PakasirClient, pakasirWebhookBody } from '../src';

const PROJECT = 'toko-client-test';
const API_KEY = 'sk-client-1b2c3d';

let sandbox: PakasirSandbox;
let pakasir: PakasirClient;
let webhookServer: Server;
const webhooks: unknown[] = [];

beforeAll(async () => {
  const app = express();
  app.post('/webhook', express.json(), (req, res) => {
    webhooks.push(req.body);
    res.json({ ok: true });
  });
  webhookServer = await new Promise<Server>((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const hookUrl = `http://127.0.0.1:${(webhookServer.address() as { port: number }).port}/webhook`;
  sandbox = await startPakasirSandbox({
    port: 0,
    projects: { [PROJECT]: { apiKey: API_KEY, webhookUrl: hookUrl } },
  });
  pakasir = new PakasirClient({ baseUrl: sandbox.url, project: PROJECT, apiKey: API_KEY });
});
afterAll(async () => {
  await sandbox.close();
  await new Promise((resolve) => webhookServer.close(resolve));
});

let seq = 0;
const newOrderId = () => `CL${process.pid}T${Date.now() % 100000}N${++seq}`;

describe('PakasirClient against the sandbox', () => {
  it('opens a QRIS payment and answers it in camelCase, the customer paying amount plus fee', async () => {
    const orderId = newOrderId();
    const payment = await pakasir.createQris({ orderId, amount: 30_000 });
    expect(payment).toEqual({
      project: PROJECT,
      orderId,
      amount: 30_000,
      fee: 520,
      totalPayment: 30_520,
      paymentMethod: 'qris',
      paymentNumber: expect.stringMatching(/^000201010212.*6304[0-9A-F]{4}$/),
      expiredAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
    });
  });

  it('reads a pending payment, simulates paying it, then reads it completed; the webhook follows', async () => {
    const orderId = newOrderId();
    await pakasir.createQris({ orderId, amount: 45_000 });
    const pending = await pakasir.detail({ orderId, amount: 45_000 });
    expect(pending).toEqual({
      project: PROJECT,
      orderId,
      amount: 45_000,
      status: 'pending',
      paymentMethod: 'qris',
      completedAt: null,
      // The sandbox states the fee (an assumption, features.md §6.1).
      fee: 625,
      totalPayment: 45_625,
    });
    expect(isPaid(pending.status)).toBe(false);

    await pakasir.simulatePayment({ orderId, amount: 45_000 });
    const paid = await pakasir.detail({ orderId, amount: 45_000 });
    expect(isPaid(paid.status)).toBe(true);
    expect(paid.completedAt).toEqual(sandbox.transaction(orderId)?.completedAt);

    await sandbox.webhooksSettled();
    const mine = webhooks.map((w) => pakasirWebhookBody.parse(w)).filter((w) => w.order_id === orderId);
    expect(mine).toEqual([
      expect.objectContaining({ amount: 45_000, status: 'completed', project: PROJECT }),
    ]);
  });

  it('cancels a pending payment', async () => {
    const orderId = newOrderId();
    await pakasir.createQris({ orderId, amount: 10_000 });
    await pakasir.cancel({ orderId, amount: 10_000 });
    expect((await pakasir.detail({ orderId, amount: 10_000 })).status).toBe('canceled');
  });

  it('links to the hosted QRIS page, which shows the order', async () => {
    const orderId = newOrderId();
    await pakasir.createQris({ orderId, amount: 30_000 });
    const url = pakasir.checkoutUrl({ orderId, amount: 30_000 });
    expect(url).toBe(`${sandbox.url}/pay/${PROJECT}/30000?order_id=${orderId}&qris_only=1`);
    const page = await fetch(url);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain(orderId);
  });

  it('links to the same page without qris_only for the other methods, both with redirect back to the bot', async () => {
    const orderId = newOrderId();
    await pakasir.createQris({ orderId, amount: 30_000 });
    const bot = new PakasirClient({
      baseUrl: sandbox.url,
      project: PROJECT,
      apiKey: API_KEY,
      redirectUrl: 'https://t.me/toko_uji_bot',
    });
    const back = encodeURIComponent('https://t.me/toko_uji_bot');
    expect(bot.checkoutUrl({ orderId, amount: 30_000 })).toBe(
      `${sandbox.url}/pay/${PROJECT}/30000?order_id=${orderId}&redirect=${back}&qris_only=1`,
    );
    const other = bot.paymentPageUrl({ orderId, amount: 30_000 });
    expect(other).toBe(`${sandbox.url}/pay/${PROJECT}/30000?order_id=${orderId}&redirect=${back}`);
    expect(other).not.toContain('qris_only');
    const page = await (await fetch(other)).text();
    expect(page).toContain('BNI Virtual Account');
    // Without a redirect configured, none is sent (Pakasir's default: the previous page).
    expect(pakasir.paymentPageUrl({ orderId, amount: 30_000 })).toBe(
      `${sandbox.url}/pay/${PROJECT}/30000?order_id=${orderId}`,
    );
  });

  it('opens a payment by another method and refuses a method that is not one', async () => {
    const orderId = newOrderId();
    const va = await pakasir.create('bri_va', { orderId, amount: 10_000 });
    expect(va).toMatchObject({ paymentMethod: 'bri_va', fee: 3_500, totalPayment: 13_500 });
    expect(() => pakasir.create('../qris', { orderId: newOrderId(), amount: 10_000 })).toThrow(RangeError);
  });
});

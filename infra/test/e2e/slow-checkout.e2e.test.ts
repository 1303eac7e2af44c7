import { createServer, request, type Server } from 'node:http';
import { customerAtSummary, freePort, startBotSystem, type BotSystem } from './bot-system';

/**
 * Found by `npm run bench -- --quick` (the flash sale) on a loaded machine, with one copy of each process
 * or two: orders answered a QRIS checkout after the gateway's 10 s deadline for a call to orders. The
 * customer was told "⚠️ Terjadi gangguan. Silakan coba lagi" while orders had made the order and reserved
 * its stock: the QR never reached them, the stock stayed held for the whole payment window, and pressing
 * again (a new request key) makes a second order. Callers now wait for a press as long as orders may take
 * to answer it (PRESS_ANSWER_LIMIT_MS, orders' contract): the customer gets that order's QR, once.
 */
let sys: BotSystem;
let slow: Server;
/** Where the slow proxy forwards to: orders, once the system runs. */
let ordersUrl = new URL('http://127.0.0.1:1');
/** The next POST /checkout's answer is held this long (then 0 again). */
let holdNextCheckoutMs = 0;

beforeAll(async () => {
  const port = await freePort();
  slow = createServer((req, res) => {
    const hold = req.method === 'POST' && req.url === '/checkout' ? holdNextCheckoutMs : 0;
    if (hold > 0) holdNextCheckoutMs = 0;
    const upstream = request(
      {
        host: ordersUrl.hostname,
        port: ordersUrl.port,
        path: req.url,
        method: req.method,
        headers: req.headers,
      },
      (answer) =>
        void setTimeout(() => {
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(res);
        }, hold),
    );
    upstream.on('error', () => res.writeHead(502).end());
    req.pipe(upstream);
  });
  await new Promise<void>((resolve) => slow.listen(port, '127.0.0.1', resolve));
  sys = await startBotSystem(
    { paymentTimeout: '10m', pollInterval: '60s' },
    { ORDERS_URL: `http://127.0.0.1:${port}` },
  );
  ordersUrl = new URL(sys.stack.ordersUrl);
}, 120_000);
afterAll(async () => {
  await sys?.close();
  slow?.closeAllConnections();
  await new Promise((resolve) => slow?.close(resolve));
});

it('shows the QR of a checkout orders answered after the gateway stopped waiting, and no error', async () => {
  const { id } = await sys.stack.catalog.addProduct({ name: 'Lambat', price: 20_000 });
  await sys.stack.catalog.addStock(id, ['lambat-1:pw', 'lambat-2:pw']);
  const user = await customerAtSummary(sys, 'Lambat', id);

  holdNextCheckoutMs = 11_000; // past the 10 s the gateway used to wait for any call to orders
  await user.press('QRIS');
  const qr = await user.waitFor((m) => m.photo !== undefined, { timeoutMs: 40_000 });
  const invoiceId = /INV\d{6}[A-Z0-9]{6}/.exec(qr.caption ?? '')![0];
  const said = user.botMessages().map((m) => m.text ?? m.caption ?? '');
  expect(said.filter((t) => t.includes('Terjadi gangguan'))).toEqual([]);
  expect(said.filter((t) => t.includes(invoiceId))).toHaveLength(1);
  // One order for the one press: one item held.
  expect(await sys.stack.catalog.product(id)).toMatchObject({ reservedStock: 1 });
}, 90_000);

import { randomBytes, randomInt } from 'node:crypto';
import { generateInternalToken, internalAuthHeader } from '@quickcart/kit';
import { Client as PgClient } from 'pg';
import { newUserId } from './bot-system';
import { eventually } from './eventually';
import { parseLogLine as parseLine, startProcessSystem, type ProcessSystem } from './process-system';

/**
 * Issue 10, "nothing secret in logs": the four real processes (catalog, orders, gateway in webhook
 * mode, worker) from their dist/ at LOG_LEVEL=debug go through a purchase, an admin's /addstock that
 * works and one the database refuses, refused Pakasir and Telegram webhooks and refused internal calls.
 * Then every line each process logged is searched for every secret and every stock line: zero hits.
 */

const hex = (bytes: number) => randomBytes(bytes).toString('hex');
const run = hex(4);

/** Letters, digits and '-' only: the same in a JSON log line, a URL and a query string. */
const secrets = {
  GATEWAY_API_TOKEN: generateInternalToken(),
  WORKER_API_TOKEN: generateInternalToken(),
  ORDERS_API_TOKEN: generateInternalToken(),
  METRICS_API_TOKEN: generateInternalToken(),
  PAKASIR_API_KEY: `lhPakasirKey${hex(12)}`,
  PAKASIR_WEBHOOK_SECRET: `lhPakasirHook${hex(12)}`,
  // A bot token is "<bot id>:<secret>"; the bot id is public (getMe), the rest is the secret.
  TELEGRAM_BOT_TOKEN: `${randomInt(1_000_000, 9_999_999)}:lhBotToken${hex(12)}`,
  TELEGRAM_WEBHOOK_SECRET: `lhTelegramHook${hex(12)}`,
};
/** What refused callers send instead of ours. */
const wrong = { token: `lhWrongToken${hex(16)}`, hook: `lhWrongHook${hex(12)}` };

/** Every stock line holds the marker (no ':', so a URL-encoded line is found too): any in a log is a hit. */
const STOCK_MARKER = `LEAKCHECK-${run}`;
const stock = (kind: string, n: number) =>
  Array.from({ length: n }, (_, i) => `${STOCK_MARKER}-${kind}-${i + 1}:pw${hex(3)}`);
const seeded = stock('seed', 3);
const added = stock('added', 2);
const refused = stock('refused', 2);

/** A CHECK the test adds: the database refuses these rows, as it would any row it cannot take. */
const REFUSING_CHECK = 'log_hygiene_refuses';

let sys: ProcessSystem | undefined;
let passed = false;

afterAll(() => sys?.close({ keepLogs: !passed }));

it('no process logs a secret or a stock line', async () => {
  sys = await startProcessSystem({
    name: 'log-hygiene',
    logLevel: 'debug',
    gatewayMode: 'webhook',
    secrets,
  });
  const { system, urls, catalog, orders, telegram, pakasir, databaseUrl, readLogs, project } = sys;
  const admin = telegram.user({ id: sys.adminId, firstName: 'Admin' });
  const customer = telegram.user({ id: newUserId(), firstName: 'Pembeli' });

  // The shop: a product with recognisable stock, the admin and a customer.
  const { id: productId } = await catalog.addProduct({ name: 'Akun Uji Log', price: 12_000 });
  await catalog.addStock(productId, seeded);
  await orders.upsertUser({ id: sys.adminId, name: 'Admin' });
  await orders.upsertUser({ id: customer.id, name: 'Pembeli' });

  // 1. A purchase: QRIS checkout, paid on Pakasir's pay page, its webhook confirmed, goods delivered.
  const order = await orders.checkout({
    userId: customer.id,
    productId,
    quantity: 2,
    paymentMethod: 'qris',
  });
  await payOnPayPage(sys, order.invoiceId);
  const delivered = await customer.waitForText(STOCK_MARKER, { timeoutMs: 20_000 });
  // The goods are in the receipt: the QR message's caption (docs/delivery.md).
  const shown = delivered.text ?? delivered.caption ?? '';
  expect(seeded.filter((line) => shown.includes(line))).toHaveLength(2);

  // 2. /addstock by the admin through Telegram's webhook: one that works, one the database refuses.
  const addstock = async (lines: string[]) => {
    const after = admin.messages().at(-1)?.id ?? 0;
    await admin.send(`/addstock ${productId}|${lines.join('\n')}`);
    // Its answer, not one of the notifications admins get meanwhile (the new order above).
    const answer = /stok ditambahkan|Terjadi gangguan|Format salah|❌/;
    return (await admin.waitForText(answer, { after, timeoutMs: 15_000 })).text ?? '';
  };
  expect(await addstock(added)).toContain(`${added.length} stok ditambahkan`);
  // A NUL in a line does not make it fail: Sequelize inlines it into the SQL as the two characters
  // "\0" and the row goes in (altered). A CHECK refuses the insert instead; the error then carries
  // the statement (stock lines inlined) and the row's values (`Failing row contains (...)`).
  const pg = new PgClient({ connectionString: databaseUrl });
  await pg.connect();
  try {
    await pg.query(
      `ALTER TABLE catalog.stock_items ADD CONSTRAINT ${REFUSING_CHECK}
         CHECK (content NOT LIKE '${STOCK_MARKER}-refused-%') NOT VALID`,
    );
  } finally {
    await pg.end();
  }
  // The gateway swallows the failure (no answer to the admin: oneAtATimePerUser catches it before
  // bot.catch), so the catalog's log says it happened. Nothing was added.
  await admin.send(`/addstock ${productId}|${refused.join('\n')}`);
  await eventually(
    () => readLogs().catalog?.map(parseLine) ?? [],
    (events) =>
      events.some((e) => e?.message === 'unhandled error' && e.path === `/products/${productId}/stock`),
    "the catalog's unhandled error of the refused /addstock",
  );
  expect((await catalog.product(productId)).stock).toBe(seeded.length - 2 + added.length);

  // 3. Refused webhooks: unknown and unpaid orders at the right path, a wrong path, a GET.
  const hook = (secret: string, body: object) =>
    fetch(`${urls.ordersWebhook}/webhooks/pakasir/${secret}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    }).then((r) => r.status);
  const webhookBody = (orderId: string, amount: number) => ({
    amount,
    order_id: orderId,
    project,
    status: 'completed',
    payment_method: 'qris',
    completed_at: new Date().toISOString(),
  });
  const unpaid = await orders.checkout({
    userId: customer.id,
    productId,
    quantity: 1,
    paymentMethod: 'qris',
  });
  await eventually(() => pakasir.transaction(unpaid.invoiceId), Boolean, 'the unpaid QRIS payment');
  expect(await hook(secrets.PAKASIR_WEBHOOK_SECRET, webhookBody(unpaid.invoiceId, unpaid.amount))).toBe(409);
  expect(await hook(secrets.PAKASIR_WEBHOOK_SECRET, webhookBody(`INV-LH-${run}`, 12_000))).toBe(404);
  expect(await hook(wrong.hook, webhookBody(order.invoiceId, order.amount))).toBe(404);
  const get = await fetch(`${urls.ordersWebhook}/webhooks/pakasir/${secrets.PAKASIR_WEBHOOK_SECRET}`);
  expect(get.status).toBe(404);
  // Telegram's webhook with a wrong secret header.
  const forged = await fetch(`${urls.gatewayWebhook}/telegram/webhook`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': wrong.hook },
    body: JSON.stringify({ update_id: 1 }),
  });
  expect(forged.status).toBe(401);

  // 4. Refused internal calls: no token, a wrong one.
  const ledgerEntry = (headers: Record<string, string>) =>
    fetch(`${urls.orders}/ledger/entries`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify({ userId: customer.id, amount: 1_000, reason: 'log hygiene' }),
    }).then((r) => r.status);
  expect(await ledgerEntry({})).toBe(401);
  expect(await ledgerEntry(internalAuthHeader(wrong.token))).toBe(401);
  // Prometheus' token: read where it is served (every process's /metrics and /ready), refused elsewhere.
  const scraper = internalAuthHeader(secrets.METRICS_API_TOKEN);
  for (const base of [urls.catalog, urls.orders, urls.gateway, urls.worker])
    for (const path of ['/metrics', '/ready'])
      expect([base, path, (await fetch(base + path, { headers: scraper })).status]).toEqual([
        base,
        path,
        200,
      ]);
  expect(await ledgerEntry(scraper)).toBe(403);

  // The unpaid order's workflow ends here, not on the shared dev server long after the test, and its
  // last message is out before the processes stop.
  const beforeCancel = customer.messages().at(-1)?.id ?? 0;
  await orders.cancel(unpaid.invoiceId);
  await customer.waitForText('dibatalkan', { after: beforeCancel, timeoutMs: 15_000 });
  expect((await orders.order(unpaid.invoiceId)).status).not.toBe('pending');
  expect(system.exited()).toEqual([]);
  await system.stop();

  // The scan: every line of every process.
  const logs = readLogs();
  expect(Object.keys(logs).sort()).toEqual(['catalog', 'gateway', 'orders', 'worker']);
  const needles: Record<string, string> = {
    ...secrets,
    TELEGRAM_BOT_TOKEN: secrets.TELEGRAM_BOT_TOKEN.split(':')[1]!,
    'stock marker': STOCK_MARKER,
    ...Object.fromEntries([...seeded, ...added, ...refused].map((line) => [`stock ${line}`, line])),
  };
  const hits: Record<string, string[]> = {};
  for (const [name, needle] of Object.entries(needles)) {
    const found = Object.entries(logs).flatMap(([proc, lines]) =>
      lines.filter((l) => l.includes(needle)).map((l) => `${proc}: ${l}`),
    );
    if (found.length > 0) hits[name] = found;
  }
  expect(hits).toEqual({});

  // Not vacuous: every process logged, and the refusals above are there (the secret starred out).
  expect(Object.values(logs).map((lines) => lines.length > 0)).toEqual([true, true, true, true]);
  const events = (proc: string, message: string) =>
    logs[proc]!.map(parseLine).filter((e) => e?.message === message) as Record<string, unknown>[];
  const refusals = events('orders', 'request refused');
  expect(refusals.filter((e) => e.path === '/webhooks/pakasir/***').map((e) => e.status)).toEqual(
    expect.arrayContaining([404, 409]),
  );
  expect(refusals.map((e) => e.reason)).toEqual(expect.arrayContaining(['missing_token', 'wrong_token']));
  expect(events('catalog', 'unhandled error').length).toBeGreaterThan(0);
  expect(events('gateway', 'request refused').map((e) => e.reason)).toContain('telegram_secret');
  passed = true;
}, 60_000);

/** The customer pays on the Pakasir sandbox's pay page, once the workflow has opened the payment. */
async function payOnPayPage({ pakasir, project }: ProcessSystem, invoiceId: string): Promise<void> {
  const tx = await eventually(
    () => pakasir.transaction(invoiceId),
    Boolean,
    `the QRIS payment of ${invoiceId}`,
  );
  const res = await fetch(`${pakasir.url}/pay/${project}/${tx!.amount}/confirm?order_id=${invoiceId}`, {
    method: 'POST',
  });
  expect(res.status).toBe(200);
}

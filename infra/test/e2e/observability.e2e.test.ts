import { internalAuthHeader } from '@quickcart/kit';
import { CORRELATION_MEMO_KEY, workflowIds } from '@quickcart/workflow-api';
import { Client, Connection } from '@temporalio/client';
import { dashboardQueries, metricNames, readAlertRules } from '../observability/files';
import { newUserId } from './bot-system';
import { eventually } from './eventually';
import { parseLogLine, startProcessSystem, type ProcessSystem } from './process-system';
import { knownNames, scrape, total, type Scrape } from './scrape';
import { startTcpProxy, type TcpProxy } from './tcp-proxy';

/**
 * Issue 20, what an operator sees: the four real processes serve Prometheus metrics on their internal
 * listeners; a purchase, a failed delivery and a late refund move exactly the counters they should;
 * one purchase's correlation id is in the log lines of every process; /ready turns 503 while a
 * dependency is away and recovers; and every metric the alert rules and the dashboard read exists.
 * Redis (gateway) and Temporal (orders) are reached through proxies this test can cut.
 */
type Processes = 'catalog' | 'orders' | 'gateway' | 'worker';
const PROCESSES: Processes[] = ['catalog', 'orders', 'gateway', 'worker'];

let sys: ProcessSystem;
let redis: TcpProxy;
let temporal: TcpProxy;
let passed = 0;
let productId: number;

const hostPort = (address: string) => {
  const [host, port] = address.replace(/^redis:\/\//, '').split(':');
  return { host: host!, port: Number(port) };
};

beforeAll(async () => {
  redis = await startTcpProxy(hostPort(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379'));
  temporal = await startTcpProxy(hostPort(process.env.TEMPORAL_ADDRESS!));
  sys = await startProcessSystem({
    name: 'observability',
    logLevel: 'debug',
    env: {
      gateway: { REDIS_URL: `redis://${redis.address}` },
      orders: { TEMPORAL_ADDRESS: temporal.address },
    },
  });
  // The worker answers /health while it still connects and bundles; /ready once both workers poll.
  await eventually(
    () =>
      fetch(`${sys.urls.worker}/ready`, { headers: internalAuthHeader(sys.metricsToken) }).then(
        (r) => r.status,
      ),
    (status) => status === 200,
    'the worker ready',
    60_000,
  );
  ({ id: productId } = await sys.catalog.addProduct({ name: 'Akun Metrik', price: 15_000 }));
  await sys.catalog.addStock(
    productId,
    Array.from({ length: 6 }, (_, i) => `metrik${i}@mail.test:pw${i}`),
  );
}, 120_000);

afterAll(async () => {
  await sys?.close({ keepLogs: passed < 4 });
  await redis?.close();
  await temporal?.close();
});

const scrapeAll = async (): Promise<Record<Processes, Scrape>> => {
  const entries = await Promise.all(
    PROCESSES.map(async (p) => [p, await scrape(sys.urls[p], sys.metricsToken)] as const),
  );
  return Object.fromEntries(entries) as Record<Processes, Scrape>;
};

/** The customer pays on the Pakasir sandbox's pay page, once the workflow has opened the payment. */
async function pay(invoiceId: string): Promise<void> {
  const tx = await eventually(
    () => sys.pakasir.transaction(invoiceId),
    Boolean,
    `the payment of ${invoiceId}`,
  );
  const res = await fetch(
    `${sys.pakasir.url}/pay/${sys.project}/${tx!.amount}/confirm?order_id=${invoiceId}`,
    {
      method: 'POST',
    },
  );
  expect(res.status).toBe(200);
}

const invoiceIn = (text: string) => /INV\d{6}[A-Z0-9]{6}/.exec(text)![0];

it('a purchase through the bot moves its counters, and its correlation id is in every process’s log', async () => {
  const before = await scrapeAll();
  const customer = sys.telegram.user({ id: newUserId(), firstName: 'Metrik' });
  await sys.orders.upsertUser({ id: customer.id, name: 'Metrik' });

  await customer.send(String(productId));
  await customer.waitForText('Jumlah: 1');
  await customer.press('Lanjut ke pembayaran');
  await customer.waitForText('Ringkasan Pesanan');
  await customer.press('QRIS');
  const qr = await customer.waitFor((m) => m.photo !== undefined, { timeoutMs: 20_000 });
  const invoiceId = invoiceIn(qr.caption ?? '');
  await pay(invoiceId);
  await customer.waitForText('metrik', { timeoutMs: 20_000 });

  const after = await eventually(
    scrapeAll,
    (s) => total(s.worker, 'quickcart_purchase_paid_to_delivered_seconds_count') > 0,
    'the delivery timed by the worker',
  );
  const moved = (p: Processes, name: string, labels: Record<string, string> = {}) =>
    total(after[p], name, labels) - total(before[p], name, labels);

  // orders: pending → paid once, one QRIS payment paid, its webhook timed to paid.
  expect(moved('orders', 'quickcart_order_status_changes_total', { from: 'pending', to: 'paid' })).toBe(1);
  expect(
    moved('orders', 'quickcart_payments_total', { kind: 'purchase', method: 'qris', outcome: 'paid' }),
  ).toBe(1);
  expect(moved('orders', 'quickcart_paid_rupiah_total', { kind: 'purchase', method: 'qris' })).toBe(15_000);
  expect(moved('orders', 'quickcart_pakasir_webhooks_total', { result: 'confirmed' })).toBe(1);
  expect(moved('orders', 'quickcart_payment_webhook_to_paid_seconds_count')).toBe(1);
  expect(
    moved('orders', 'quickcart_pakasir_calls_total', { endpoint: 'transactiondetail', result: 'ok' }),
  ).toBeGreaterThanOrEqual(1);
  expect(
    moved('orders', 'quickcart_http_requests_total', { route: '/checkout', method: 'POST', status: '201' }),
  ).toBe(1);
  // The route pattern, never the invoice: no label anywhere holds it.
  for (const p of PROCESSES)
    expect(
      after[p].samples.filter((s) => Object.values(s.labels).some((v) => v.includes(invoiceId))),
    ).toEqual([]);
  // worker: the invoice opened at Pakasir, delivered once and timed.
  expect(
    moved('worker', 'quickcart_pakasir_calls_total', { endpoint: 'transactioncreate', result: 'ok' }),
  ).toBe(1);
  expect(moved('worker', 'quickcart_purchase_paid_to_delivered_seconds_count')).toBe(1);
  expect(moved('worker', 'quickcart_deliveries_failed_total')).toBe(0);
  // gateway: the customer's three updates handled, the QR photo sent.
  expect(moved('gateway', 'quickcart_telegram_updates_total', { result: 'ok' })).toBeGreaterThanOrEqual(3);
  expect(moved('gateway', 'quickcart_telegram_calls_total', { method: 'sendPhoto', result: 'ok' })).toBe(1);
  expect(total(after.gateway, 'quickcart_telegram_receiving', { mode: 'polling' })).toBe(1);
  // The inbox: every update finished, none given up.
  expect(total(after.gateway, 'quickcart_inbox_depth')).toBe(0);
  expect(moved('gateway', 'quickcart_inbox_dead_letters')).toBe(0);
  expect(moved('gateway', 'quickcart_telegram_updates_total', { result: 'dead_lettered' })).toBe(0);
  // catalog: one item left the stock.
  expect(moved('catalog', 'quickcart_stock_items', { product: String(productId), state: 'available' })).toBe(
    -1,
  );
  expect(
    moved('catalog', 'quickcart_http_requests_total', { route: '/reservations', method: 'POST' }),
  ).toBeGreaterThanOrEqual(1);
  for (const p of ['catalog', 'orders'] as const) {
    expect(total(after[p], 'quickcart_db_pool_connections', { state: 'max' })).toBeGreaterThan(0);
    expect(after[p].families.has('quickcart_audit_outbox_backlog')).toBe(true);
  }
  // The Temporal SDK's own metrics come with the worker's.
  expect([...after.worker.families].some((n) => n.startsWith('temporal_'))).toBe(true);

  // One id for the whole purchase: born at the QRIS press, kept in the workflow's memo.
  const client = new Client({
    connection: await Connection.connect({ address: process.env.TEMPORAL_ADDRESS! }),
  });
  const { memo } = await client.workflow.getHandle(workflowIds.purchase(invoiceId)).describe();
  await client.connection.close();
  const correlationId = memo?.[CORRELATION_MEMO_KEY] as string;
  // The update's id (tg-<update id>.cb<press id>): the same for every try of the update.
  expect(correlationId).toMatch(/^tg-\d+\.cb\S+$/);
  const logs = sys.readLogs();
  const linesWith = (p: Processes) =>
    (logs[p] ?? []).map(parseLogLine).filter((e) => e?.correlationId === correlationId);
  expect(linesWith('gateway').map((e) => e!.message)).toContain('update handled');
  expect(linesWith('orders').map((e) => e!.route)).toContain('/checkout');
  expect(linesWith('catalog').map((e) => e!.route)).toContain('/reservations');
  expect(linesWith('worker').map((e) => e!.activityType)).toEqual(
    expect.arrayContaining(['deliverPurchase']),
  );
  passed++;
}, 90_000);

it('a delivery the customer blocked counts as failed; a payment after its order closed counts as a late refund', async () => {
  const before = await scrapeAll();
  // Delivery: the customer sees the QR, blocks the bot, then pays.
  const blocked = sys.telegram.user({ id: newUserId(), firstName: 'Blokir' });
  await sys.orders.upsertUser({ id: blocked.id, name: 'Blokir' });
  const order = await sys.orders.checkout({
    userId: blocked.id,
    productId,
    quantity: 1,
    paymentMethod: 'qris',
  });
  expect(order.qr).not.toBeNull(); // the press's answer: the gateway's to show (an API press here)
  sys.telegram.block(blocked.id);
  await pay(order.invoiceId);

  // Late: Pakasir loses the cancel, so the closed invoice can still be paid.
  const late = sys.telegram.user({ id: newUserId(), firstName: 'Telat' });
  await sys.orders.upsertUser({ id: late.id, name: 'Telat' });
  const lateOrder = await sys.orders.checkout({
    userId: late.id,
    productId,
    quantity: 1,
    paymentMethod: 'qris',
  });
  await eventually(() => sys.pakasir.transaction(lateOrder.invoiceId), Boolean, 'the late invoice');
  sys.pakasir.faults.set({ failCancel: 3 });
  await sys.orders.cancel(lateOrder.invoiceId);
  await eventually(
    () => sys.orders.order(lateOrder.invoiceId),
    (o) => o.status === 'cancelled',
    'the cancelled order',
  );
  await pay(lateOrder.invoiceId);
  await eventually(
    () => sys.orders.order(lateOrder.invoiceId),
    (o) => o.refundedAmount !== null,
    'the late refund',
  );

  const after = await eventually(
    scrapeAll,
    (s) =>
      total(s.worker, 'quickcart_deliveries_failed_total') >
      total(before.worker, 'quickcart_deliveries_failed_total'),
    'the failed delivery counted',
    40_000,
  );
  const moved = (p: Processes, name: string, labels: Record<string, string> = {}) =>
    total(after[p], name, labels) - total(before[p], name, labels);
  expect(moved('worker', 'quickcart_deliveries_failed_total', { reason: 'BotBlocked' })).toBe(1);
  expect(moved('worker', 'quickcart_purchase_paid_to_delivered_seconds_count')).toBe(0);
  expect(moved('gateway', 'quickcart_telegram_calls_total', { result: '403' })).toBeGreaterThanOrEqual(1);
  expect(moved('orders', 'quickcart_late_refunds_total')).toBe(1);
  expect(moved('orders', 'quickcart_late_refunded_rupiah_total')).toBe(lateOrder.amount);
  expect(moved('orders', 'quickcart_payments_total', { outcome: 'late_refunded' })).toBe(1);
  expect(moved('orders', 'quickcart_payments_total', { outcome: 'cancelled' })).toBe(1);
  expect(moved('orders', 'quickcart_payments_total', { outcome: 'paid' })).toBe(1); // the blocked one
  expect(moved('orders', 'quickcart_order_status_changes_total', { from: 'pending', to: 'cancelled' })).toBe(
    1,
  );
  passed++;
}, 120_000);

it('every metric the alert rules and the dashboard read is in a scrape of the running processes', async () => {
  const scrapes = await scrapeAll();
  const known = new Set(Object.values(scrapes).flatMap((s) => [...knownNames(s)]));
  known.add('up'); // Prometheus' own, per target
  const read = [
    ...readAlertRules().map((r) => ({ where: `alert ${r.alert}`, expr: r.expr })),
    ...dashboardQueries().map((q) => ({ where: `panel ${q.panel}`, expr: q.expr })),
  ];
  expect(read.length).toBeGreaterThan(10);
  const missing = read.flatMap(({ where, expr }) =>
    metricNames(expr)
      .filter((name) => !known.has(name))
      .map((name) => `${where}: ${name}`),
  );
  expect(missing).toEqual([]);
  passed++;
});

it('/ready answers 503 while Redis or Temporal is away, and 200 again once it is back; /health stays up', async () => {
  const ready = async (p: Processes) => {
    const res = await fetch(`${sys.urls[p]}/ready`, { headers: internalAuthHeader(sys.metricsToken) });
    return { status: res.status, body: (await res.json()) as { checks: Record<string, string> } };
  };
  for (const p of PROCESSES) expect((await ready(p)).status).toBe(200);
  expect((await fetch(`${sys.urls.worker}/ready`)).status).toBe(401); // behind the token

  await redis.cut();
  await temporal.cut();
  try {
    const gateway = await eventually(
      () => ready('gateway'),
      (r) => r.status === 503,
      'the gateway not ready',
    );
    expect(gateway.body.checks).toMatchObject({ redis: 'down', telegram: 'up' });
    const orders = await eventually(
      () => ready('orders'),
      (r) => r.status === 503,
      'orders not ready',
    );
    expect(orders.body.checks).toMatchObject({ temporal: 'down', database: 'up' });
    expect((await fetch(`${sys.urls.gateway}/health`)).status).toBe(200);
    const down = await scrapeAll();
    expect(total(down.orders, 'quickcart_dependency_up', { dependency: 'temporal' })).toBe(0);
    expect(total(down.catalog, 'quickcart_dependency_up', { dependency: 'database' })).toBe(1);
  } finally {
    await redis.restore();
    await temporal.restore();
  }
  await eventually(
    () => ready('gateway'),
    (r) => r.status === 200,
    'the gateway ready again',
    30_000,
  );
  await eventually(
    () => ready('orders'),
    (r) => r.status === 200,
    'orders ready again',
    30_000,
  );
  const logs = sys.readLogs();
  const events = (p: Processes, message: string) =>
    (logs[p] ?? [])
      .map(parseLogLine)
      .filter((e) => e?.message === message)
      .map((e) => e!.dependency);
  expect(events('gateway', 'dependency not ready')).toContain('redis');
  expect(events('orders', 'dependency ready again')).toContain('temporal');
  passed++;
}, 90_000);

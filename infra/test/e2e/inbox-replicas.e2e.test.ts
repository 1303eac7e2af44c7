import { RoundRobinProxy } from '../../bench/src/round-robin';
import { freePort, newUserId } from './bot-system';
import { eventually } from './eventually';
import { startProcessSystem, type ProcessSystem } from './process-system';

/**
 * Issue 19: two gateway processes in webhook mode (production's shape) behind a round-robin proxy, one
 * shop. Telegram's webhooks for one person land on both in turn; the inbox keeps that person's order.
 */

let sys: ProcessSystem;
/** Telegram's webhooks to both gateways in turn, as a load balancer in front of the replicas. */
let proxy: RoundRobinProxy;
let passed = 0;

beforeAll(async () => {
  sys = await startProcessSystem({ name: 'inbox-replicas', gatewayMode: 'webhook' });
  const copy = { gateway: await freePort(), webhook: await freePort() };
  const proxyPort = await freePort();
  proxy = new RoundRobinProxy([Number(new URL(sys.urls.gatewayWebhook).port), copy.webhook]);
  await proxy.listen(proxyPort);
  const viaProxy = { TELEGRAM_WEBHOOK_URL: `http://127.0.0.1:${proxyPort}` };
  await sys.system.restart('gateway', viaProxy);
  await sys.system.startCopy(
    'gateway',
    'gateway-2',
    { ...viaProxy, GATEWAY_PORT: String(copy.gateway), TELEGRAM_WEBHOOK_PORT: String(copy.webhook) },
    `http://127.0.0.1:${copy.gateway}/health`,
  );
}, 120_000);
afterAll(async () => {
  await proxy?.close();
  await sys?.close({ keepLogs: passed < 1 });
});

it("handles one person's 20 messages sent within a second in order, across two gateways", async () => {
  const names = Array.from({ length: 20 }, (_, i) => `Urut ${String(i + 1).padStart(2, '0')} ${Date.now()}`);
  const ids: number[] = [];
  for (const name of names) {
    const { id } = await sys.catalog.addProduct({ name, price: 10_000 });
    await sys.catalog.addStock(id, [`urut-${id}:pw`]); // in stock: its own page, not the list
    ids.push(id);
  }
  const customer = sys.telegram.user({ id: newUserId(), firstName: 'Urut' });
  await sys.orders.upsertUser({ id: customer.id, name: 'Urut' });

  const sent = Date.now();
  for (const id of ids) await customer.send(String(id));
  expect(Date.now() - sent).toBeLessThan(1_000);

  const shown = () =>
    customer
      .botMessages()
      .map((m) => names.find((n) => (m.text ?? m.caption ?? '').includes(n)))
      .filter((n): n is string => n !== undefined);
  // Telegram lets about one message a second into one chat: twenty answers take a while.
  await eventually(shown, (s) => s.length >= 20, 'twenty answers', 90_000);
  expect(shown()).toEqual(names);
  expect(proxy.forwarded.every((n) => n >= 10)).toBe(true); // both gateways took webhooks
  expect(sys.system.exited()).toEqual([]);
  passed++;
}, 150_000);

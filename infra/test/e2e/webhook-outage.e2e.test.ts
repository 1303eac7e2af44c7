import { newUserId } from './bot-system';
import { eventually } from './eventually';
import { startProcessSystem, type ProcessSystem } from './process-system';

/**
 * Webhook mode, production's shape, while the gateway is down (a crash, a deploy): Telegram keeps an
 * update it could not deliver and tries again for a long time, holding that chat's later updates
 * behind it (the sandbox does as Telegram does). So what a person sends meanwhile is answered, in order,
 * once the gateway is back.
 */
let sys: ProcessSystem;
let passed = 0;

beforeAll(async () => {
  sys = await startProcessSystem({ name: 'webhook-outage', gatewayMode: 'webhook' });
}, 120_000);
afterAll(async () => {
  await sys?.close({ keepLogs: passed < 1 });
});

it('answers, in order, what a person sent while the gateway was down', async () => {
  const customer = sys.telegram.user({ id: newUserId(), firstName: 'Sabar' });
  await sys.orders.upsertUser({ id: customer.id, name: 'Sabar' });
  await customer.send('/start');
  await customer.waitForText('Halo Sabar', { timeoutMs: 30_000 });

  await sys.system.kill('gateway');
  await customer.send('/help');
  await customer.send('/order');
  // Longer than a handful of quick tries: Telegram goes on trying for hours.
  await new Promise((resolve) => setTimeout(resolve, 4_000));
  expect(sys.telegram.webhookInfo().lastErrorMessage).toMatch(/Connection failed/);
  await sys.system.restart('gateway');

  const answers = () =>
    customer
      .botMessages()
      .map((m) => m.text ?? m.caption ?? '')
      .filter((t) => t.includes('Bantuan') || t.includes('Cara memesan'))
      .map((t) => (t.includes('Bantuan') ? '/help' : '/order'));
  await eventually(answers, (a) => a.length >= 2, 'both answers after the restart', 90_000);
  expect(answers()).toEqual(['/help', '/order']);
  expect(sys.system.exited()).toEqual([]);
  passed++;
}, 180_000);

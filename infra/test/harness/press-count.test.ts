import { appendFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startTelegramSandbox, type TelegramSandbox } from '@quickcart/sandbox';
import { PressCount } from '../../chaos/src/press-count';

/**
 * Chaos's `no_press_lost` (issue 19): presses sent per person, as the Telegram sandbox hands them out,
 * against the gateways' `update handled` lines. It must fail when a press was never handled.
 */
let telegram: TelegramSandbox;
let logDir: string;

beforeEach(async () => {
  telegram = await startTelegramSandbox();
  logDir = mkdtempSync(path.join(tmpdir(), 'press-count-'));
});
afterEach(async () => {
  await telegram.close();
  rmSync(logDir, { recursive: true, force: true });
});

const handled = (file: string, updateId: number, result: string) =>
  appendFileSync(
    path.join(logDir, file),
    JSON.stringify({ level: 'debug', message: 'update handled', updateId, result, attempt: 1 }) + '\n',
  );

it('counts a press lost until some gateway copy logged it handled, ok or failed', async () => {
  const count = new PressCount(telegram, logDir);
  const ana = telegram.user({ id: 5_001, firstName: 'Ana' });
  const budi = telegram.user({ id: 5_002, firstName: 'Budi' });
  const first = telegram.feed.nextUpdateId;
  await ana.send('1');
  await ana.send('2');
  await budi.send('/start');
  handled('gateway.log', first, 'ok');
  handled('gateway-2.log', first + 1, 'retried'); // a try that did not finish: not handled
  handled('gateway-2.log', first + 2, 'failed'); // handled: the person was told of the failure
  handled('orders.log', first + 1, 'ok'); // not a gateway's log

  expect(count.figures()).toEqual({
    presses_sent: 3,
    presses_handled: 2,
    presses_dead_lettered: 0,
    presses_people: 2,
  });
  expect(count.unhandled()).toBe(1);
  expect(count.violations()).toEqual([
    {
      invariant: 'no_press_lost',
      subject: 'user 5001',
      detail: `2 presses sent, 1 handled, 0 dead-lettered; lost: update ${first + 1}`,
    },
  ]);

  handled('gateway.log', first + 1, 'ok'); // the other copy ran it again after the first died
  expect(count.unhandled()).toBe(0);
  expect(count.violations()).toEqual([]);
});

it('counts a press given up to the dead letters (the person told, kept for a replay), not as lost', async () => {
  const count = new PressCount(telegram, logDir);
  const ana = telegram.user({ id: 5_003, firstName: 'Ana' });
  const first = telegram.feed.nextUpdateId;
  await ana.send('1');
  await ana.send('2');
  handled('gateway.log', first, 'retried');
  handled('gateway.log', first, 'dead_lettered');
  expect(count.violations()).toEqual([
    expect.objectContaining({
      detail: `2 presses sent, 0 handled, 1 dead-lettered; lost: update ${first + 1}`,
    }),
  ]);
  handled('gateway-2.log', first + 1, 'ok');
  expect(count.violations()).toEqual([]);
  expect(count.figures()).toMatchObject({ presses_handled: 1, presses_dead_lettered: 1 });
});

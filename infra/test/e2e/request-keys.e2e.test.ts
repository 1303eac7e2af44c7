import type { TelegramTestUser } from '@quickcart/sandbox';
import { freePort, newUserId, startBotSystem, type BotSystem } from './bot-system';

/**
 * Request keys (docs/architecture.md §7.2) outlive Telegram's update ids: after a week without updates
 * Telegram may give a new update an id seen before, and that update is a new request, not a repeat.
 * Webhook mode: a polling bot's offset would hide the repeated id (infra/sandbox update-feed.ts).
 */
let sys: BotSystem;
beforeAll(async () => {
  const port = await freePort();
  sys = await startBotSystem(
    { paymentTimeout: '10m', pollInterval: '60s' },
    {
      TELEGRAM_WEBHOOK_PORT: String(port),
      TELEGRAM_WEBHOOK_URL: `http://127.0.0.1:${port}`,
      TELEGRAM_WEBHOOK_SECRET: 'request-keys-secret-0123',
    },
  );
});
afterAll(() => sys?.close());

/** AKUN → Deposit → Jumlah Lain, each handled (a press is answered when its handler is done). */
async function askDepositAmount(user: TelegramTestUser): Promise<void> {
  const tapped = await user.tapKeyboard('AKUN');
  await user.waitForText('Akun Anda', { after: tapped.id });
  await user.waitForCallbackAnswer(await user.press('Deposit'));
  await user.waitForCallbackAnswer(await user.press('Jumlah Lain'));
}

it('makes a new deposit for a typed amount whose update id Telegram gave out again, days later', async () => {
  const user = sys.telegram.user({ id: newUserId(), firstName: 'Ulang' });
  await sys.stack.orders.upsertUser({ id: user.id, name: 'Ulang' });
  await user.send('/start');
  await user.waitForText('Halo Ulang');

  await askDepositAmount(user);
  const reused = sys.telegram.feed.nextUpdateId;
  const first = await user.send('20000');
  await user.waitForText('Deposit saldo', { after: first.id }); // the QR, the reply to the amount

  await askDepositAmount(user);
  await new Promise((r) => setTimeout(r, 1_100)); // a later date (Telegram's dates are in seconds)
  sys.telegram.feed.restartUpdateIds(reused);
  const second = await user.send('20000');
  await user.waitForText('Deposit saldo', { after: second.id });

  const deposits = await sys.stack.sql<{ invoice_id: string }>(
    "SELECT invoice_id FROM orders.orders WHERE user_id = $1 AND kind = 'deposit' ORDER BY id",
    [user.id],
  );
  expect(deposits).toHaveLength(2);
});

import type { TelegramTestUser } from '@quickcart/sandbox';
import { Client as PgClient } from 'pg';
import { createClient } from 'redis';
import { newUserId } from './bot-system';
import { eventually } from './eventually';
import { parseLogLine, startProcessSystem, type ProcessSystem } from './process-system';

/**
 * Issue 19, the durable inbox: the real processes from dist/, the gateway long-polling the Telegram
 * sandbox. An update is in the inbox (Redis) before Telegram is told it arrived, and leaves it only once
 * its handler finished: a gateway stopped (SIGTERM) or killed (SIGKILL) while updates are in their
 * handlers still has each take effect once after it starts again. The effect watched is a deposit
 * order: orders holds its checkout open (QC_FAULT_HOLD, before the order commits) so the presses stay
 * in their handlers as long as the test wants, then orders is killed (its transactions roll back) and
 * started as production runs it.
 */

let sys: ProcessSystem;
let pg: PgClient;
let redis: ReturnType<typeof createClient>;
let passed = 0;

beforeAll(async () => {
  // A short grace: the held deposit is still in its handler when it ends, so the gateway hands it back
  // (before orders' 10 s client timeout would answer the press with "coba lagi").
  sys = await startProcessSystem({
    name: 'inbox-crash',
    env: {
      gateway: { INBOX_SHUTDOWN_GRACE_MS: '3000' },
      // What is watched is the inbox handing each press over once, not how fast a burst of 50 presses
      // is taken on this loaded machine: a press that waited past 3 s would be answered "busy" (nothing
      // kept, the customer asked to press again), which this test would read as a lost press.
      orders: { CHECKOUT_TIMEOUT: '15s' },
    },
  });
  pg = new PgClient({ connectionString: sys.databaseUrl });
  await pg.connect();
  redis = createClient({ url: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379' });
  await redis.connect();
}, 60_000);
afterAll(async () => {
  await pg?.end();
  await redis?.quit();
  await sys?.close({ keepLogs: passed < 3 });
});

const after = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const depositsOf = async (userId: number) =>
  (
    await pg.query<{ invoice_id: string }>(
      `SELECT invoice_id FROM orders.orders WHERE user_id = $1 AND kind = 'deposit'`,
      [userId],
    )
  ).rows;

const holdsReached = () =>
  (sys.readLogs().orders ?? []).map(parseLogLine).filter((e) => e?.message === 'fault hold reached').length;

/** A customer looking at the deposit amounts, one press from a deposit. */
async function atDepositMenu(name: string): Promise<TelegramTestUser> {
  const customer = sys.telegram.user({ id: newUserId(), firstName: name });
  await sys.orders.upsertUser({ id: customer.id, name });
  await customer.send('/start');
  await customer.waitForText(`Halo ${name}`, { timeoutMs: 30_000 });
  await customer.tapKeyboard('AKUN');
  await customer.waitForText('Akun Anda', { timeoutMs: 30_000 });
  await customer.press('Deposit');
  await customer.waitForText('Pilih jumlah deposit', { timeoutMs: 30_000 });
  return customer;
}

/** Orders killed with its held checkouts (they roll back) and started again as production runs it. */
async function ordersBackToNormal(): Promise<void> {
  await sys.system.kill('orders');
  await sys.system.restart('orders', { QC_FAULT_HOLD: undefined });
}

describe('the durable inbox across gateway stops', () => {
  it('a gateway stopped (SIGTERM) 5 s into a deposit press makes that deposit once after it starts again', async () => {
    const customer = await atDepositMenu('Tenang');
    await sys.system.restart('orders', { QC_FAULT_HOLD: 'checkout.before-order-commit' });
    const before = holdsReached();
    await customer.press('Rp 50.000');
    await eventually(holdsReached, (n) => n > before, 'the deposit held inside orders');
    await after(5_000);

    await sys.system.terminate('gateway');
    await ordersBackToNormal();
    await sys.system.restart('gateway');

    await eventually(
      () => depositsOf(customer.id),
      (rows) => rows.length > 0,
      'the deposit made after the restart',
      60_000,
    );
    await after(3_000); // a second one would come now
    expect(await depositsOf(customer.id)).toHaveLength(1);
    passed++;
  }, 180_000);

  it('a gateway killed (SIGKILL) with 50 deposit presses in flight makes each deposit once', async () => {
    const customers: TelegramTestUser[] = [];
    for (let i = 0; i < 5; i++)
      customers.push(
        ...(await Promise.all(Array.from({ length: 10 }, (_, j) => atDepositMenu(`Ramai${i}x${j}`)))),
      );
    await sys.system.restart('orders', { QC_FAULT_HOLD: 'checkout.before-order-commit' });
    const before = holdsReached();
    await Promise.all(customers.map((c) => c.press('Rp 50.000')));
    await eventually(holdsReached, (n) => n > before, 'deposits held inside orders');
    await after(4_000); // longer than any "budget" after which a gateway might confirm an update early

    await sys.system.kill('gateway');
    await ordersBackToNormal();
    await sys.system.restart('gateway');

    await eventually(
      async () => (await Promise.all(customers.map((c) => depositsOf(c.id)))).map((rows) => rows.length),
      (counts) => counts.every((n) => n >= 1),
      'a deposit for every press',
      120_000,
    );
    await after(3_000);
    const counts = (await Promise.all(customers.map((c) => depositsOf(c.id)))).map((rows) => rows.length);
    expect(counts).toEqual(Array(50).fill(1));
    passed++;
  }, 300_000);

  it('a press whose handler keeps failing lands in the dead-letter list after its attempts, and replays', async () => {
    const customer = await atDepositMenu('Gagal');
    await sys.system.kill('orders'); // every attempt fails to reach it
    const queryId = await customer.press('Rp 50.000');
    const dead = `${sys.redisPrefix}inbox:dead`;
    const [letter] = await eventually(
      async () => (await redis.xRange(dead, '-', '+')).map((e) => e.message),
      (letters) => letters.some((l) => Number(l.userId) === customer.id),
      'a dead letter',
      60_000,
    ).then((letters) => letters.filter((l) => Number(l.userId) === customer.id));
    expect(letter).toMatchObject({ updateType: 'callback_query', attempts: '5' });
    expect(letter!.error).toMatch(/Upstream/);
    // Told once, after the last try: the press's spinner ends with the alert.
    expect((await customer.waitForCallbackAnswer(queryId, 10_000)).text).toContain('Terjadi gangguan');
    expect(await depositsOf(customer.id)).toEqual([]);

    // The operator's replay (docs/operations.md): the stored update back into its partition.
    await sys.system.restart('orders', { QC_FAULT_HOLD: undefined });
    const update = await redis.hGet(`${sys.redisPrefix}inbox:dead:updates`, letter!.updateId!);
    expect(update).toBeTruthy();
    await redis.xAdd(`${sys.redisPrefix}inbox:${letter!.partition}`, '*', { u: update! });
    await redis.hDel(`${sys.redisPrefix}inbox:dead:updates`, letter!.updateId!);
    await eventually(
      () => depositsOf(customer.id),
      (rows) => rows.length === 1,
      'the replayed deposit',
      30_000,
    );
    passed++;
  }, 120_000);
});

import { createLogger } from '@quickcart/kit';
import type { User } from '@quickcart/orders/contract';
import { startTelegramSandbox, type TelegramSandbox } from '@quickcart/sandbox';
import { randomBytes } from 'node:crypto';
import { createClient } from 'redis';
import type { Update } from 'telegraf/types';
import { createBot } from './bot';
import type { BotDeps } from './context';
import { RecipientLanguages } from './recipient-languages';
import { redisKv, type Kv } from './session/kv';
import { Sessions } from './session/sessions';
import { telegramSeen, UserRecords } from './user-records';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const PREFIX = `qc_test_trips_${randomBytes(4).toString('hex')}:`;
const CUSTOMER = 640_000_000 + (process.pid % 10_000);

/** The real Redis Kv with every call written down by name: one call is one round trip to Redis. */
function counted(kv: Kv): { kv: Kv; calls: string[] } {
  const calls: string[] = [];
  const entries = Object.entries(kv) as [string, (...args: unknown[]) => Promise<unknown>][];
  const wrapped = Object.fromEntries(
    entries.map(([name, call]) => [
      name,
      (...args: unknown[]) => {
        calls.push(name);
        return call(...args);
      },
    ]),
  );
  return { kv: wrapped as unknown as Kv, calls };
}

const customer: User = {
  id: CUSTOMER,
  name: 'Sari',
  username: null,
  email: null,
  whatsapp: null,
  role: 'customer',
  isAdmin: false,
  bankId: 'BANK1',
  balance: 0,
  isBanned: false,
  blockedBot: false,
  language: 'id',
  languageChosen: false,
  createdAt: new Date().toISOString(),
};

let sandbox: TelegramSandbox;
let redis: Kv;

beforeAll(async () => {
  sandbox = await startTelegramSandbox({ port: 0 });
  redis = await redisKv(REDIS_URL, PREFIX);
});
afterAll(async () => {
  await redis?.close();
  await sandbox?.close();
  // This test's keys in the shared Redis: the session's would stay an hour otherwise.
  const client = await createClient({ url: REDIS_URL }).connect();
  for await (const keys of client.scanIterator({ MATCH: `${PREFIX}*`, COUNT: 1000 }))
    if (keys.length > 0) await client.del(keys);
  await client.quit();
});

/** The bot as app.ts builds it, over `kv`; the customer's record kept, so orders is not asked for it. */
function botOver(kv: Kv) {
  const logger = createLogger('t', 'silent');
  const users = new UserRecords(60_000);
  users.keep(customer, telegramSeen({}));
  const deps = {
    kv,
    sessions: new Sessions(kv),
    users,
    languages: new RecipientLanguages({ user: () => Promise.reject(new Error('not asked')) }, logger),
    config: { RATE_LIMIT_PER_MINUTE: 30, TELEGRAM_GROUP_MESSAGES_PER_MINUTE: 20 },
    logger,
  } as unknown as BotDeps;
  return createBot(`${7_200_000 + (process.pid % 10_000)}:trips`, sandbox.apiRoot, deps);
}

describe('what one private update costs Redis', () => {
  it('counts the update and reads the person’s session in one round trip; the handler reads no more', async () => {
    // The customer was typing a voucher code; /help forgets it (docs/features.md §2.12).
    const key = new Sessions(redis).keyOf(CUSTOMER);
    await redis.set(key, JSON.stringify({ awaiting: 'voucher_code' }), 3600);
    const { kv, calls } = counted(redis);
    const bot = botOver(kv);
    bot.botInfo = await bot.telegram.getMe();
    const person = sandbox.user({ id: CUSTOMER, firstName: 'Sari' });
    await person.send('/help');
    const [update] = (await bot.telegram.callApi('getUpdates', { timeout: 0 })) as Update[];

    await bot.handleUpdate(update!);

    // One call before the handler (the count with the session), and the write, which is one
    // compare-and-set on the value read: no read of the session of its own.
    expect(calls).toEqual(['incrAndGet', 'compareAndSet']);
    expect(person.botMessages().at(-1)?.text).toContain('/start');
    expect(await redis.get(key)).toBe('{}');
  });
});

import { randomBytes } from 'node:crypto';
import { createClient } from 'redis';
import type { BotDeps, ShopContext } from './context';
import { rateLimit } from './middleware';
import { memoryKv, redisKv, type Kv } from './session/kv';
import { Sessions, type Session } from './session/sessions';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const LIMIT = 12;

/**
 * Runs `count` private-chat updates of one person through the limiter, each passing one handled by
 * `handler`; what passed and what it said.
 */
async function burst(kv: Kv, userId: number, count: number, handler = async (_ctx: ShopContext) => {}) {
  const deps = {
    kv,
    sessions: new Sessions(kv),
    config: { RATE_LIMIT_PER_MINUTE: LIMIT },
    languages: { peek: () => 'id' },
  } as unknown as BotDeps;
  const limiter = rateLimit(deps);
  const said: string[] = [];
  let passed = 0;
  for (let i = 0; i < count; i++) {
    const ctx = {
      from: { id: userId, is_bot: false, first_name: 'Cepat' },
      chat: { id: userId, type: 'private' },
      reply: async (text: string) => void said.push(text),
    } as unknown as ShopContext;
    await limiter(ctx, async () => {
      passed++;
      await handler(ctx);
    });
  }
  return { passed, said };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** This test's keys in the shared Redis: sessions would stay a day otherwise. */
async function forgetKeys(prefix: string): Promise<void> {
  const redis = await createClient({ url: REDIS_URL }).connect();
  for await (const keys of redis.scanIterator({ MATCH: `${prefix}*`, COUNT: 1000 }))
    if (keys.length > 0) await redis.del(keys);
  await redis.quit();
}

describe.each([
  ['memory', () => ''],
  ['redis', () => `qc_test_rate_${randomBytes(4).toString('hex')}:`],
])('the per-person rate limit (%s)', (name, newPrefix) => {
  let kv: Kv;
  let prefix: string;
  beforeEach(async () => {
    prefix = newPrefix();
    kv = name === 'redis' ? await redisKv(REDIS_URL, prefix) : memoryKv();
  });
  afterEach(async () => {
    jest.restoreAllMocks();
    await kv.close();
    if (prefix) await forgetKeys(prefix);
  });

  // A window that restarts at every clock minute let a person through twice the limit in two seconds
  // around the minute's turn (and made the end-to-end flood test fail whenever it straddled one).
  it('lets the limit through in any 60 s from a person’s first update, however the clock minute turns', async () => {
    const turn = Math.ceil(Date.now() / 60_000) * 60_000;
    const now = jest.spyOn(Date, 'now').mockReturnValue(turn - 1_000);
    const first = await burst(kv, 700_001, LIMIT);
    now.mockReturnValue(turn + 1_000);
    const second = await burst(kv, 700_001, LIMIT);
    expect(first.passed).toBe(LIMIT);
    expect(second.passed).toBe(0);
    expect(second.said).toHaveLength(1);
    expect(second.said[0]).toContain('terlalu cepat');
  });

  it('answers one notice in a window and nothing after it; another person is not slowed', async () => {
    const flood = await burst(kv, 700_002, LIMIT + 8);
    expect(flood.passed).toBe(LIMIT);
    expect(flood.said).toHaveLength(1);
    expect((await burst(kv, 700_003, 1)).passed).toBe(1);
  });

  // A 2 s window here (60 s in use), with the later counts halfway through it: a count that gave the
  // key a new TTL would keep it past the window's end.
  it('counts in one call with reading another key, on the same counter, its window set by the first count only', async () => {
    expect(await kv.incrAndGet('rate:700004', 2, 'session:700004')).toEqual({ count: 1, value: null });
    await sleep(1_000);
    await kv.set('session:700004', '{"awaiting":"voucher_code"}', 60);
    expect(await kv.incrAndGet('rate:700004', 2, 'session:700004')).toEqual({
      count: 2,
      value: '{"awaiting":"voucher_code"}',
    });
    expect(await kv.incr('rate:700004', 2)).toBe(3);
    await sleep(1_200);
    expect((await kv.incrAndGet('rate:700004', 2, 'session:700004')).count).toBe(1);
  });

  it('hands an update that passes the person’s session, read with its count', async () => {
    await new Sessions(kv).ofUpdate(700_005, null).expect('voucher_code');
    const seen: Session[] = [];
    await burst(kv, 700_005, 1, async (ctx) => void seen.push(ctx.session.get()));
    await burst(kv, 700_006, 1, async (ctx) => void seen.push(ctx.session.get()));
    expect(seen).toEqual([{ awaiting: 'voucher_code' }, {}]);
  });

  it('shows a session written in an update to that update’s later reads and to the next update', async () => {
    const seen: Session[] = [];
    await burst(kv, 700_007, 1, async (ctx) => {
      await ctx.session.update((s) => ({
        ...s,
        awaiting: 'voucher_code',
        voucherFor: { productId: 3, qty: 2 },
      }));
      seen.push(ctx.session.get());
      await ctx.session.expect(undefined);
      seen.push(ctx.session.get());
    });
    await burst(kv, 700_007, 1, async (ctx) => void seen.push(ctx.session.get()));
    expect(seen).toEqual([
      { awaiting: 'voucher_code', voucherFor: { productId: 3, qty: 2 } },
      { voucherFor: { productId: 3, qty: 2 } },
      { voucherFor: { productId: 3, qty: 2 } },
    ]);
  });

  // Another gateway that took over the person's updates (a lost inbox lease) may write while this
  // update runs: the compare-and-set on the value read at the start fails, and nothing is lost.
  it('keeps a change written elsewhere since the update read the session, and shows it', async () => {
    const seen: Session[] = [];
    await burst(kv, 700_008, 1, async (ctx) => {
      await new Sessions(kv).ofUpdate(700_008, null).update((s) => ({
        ...s,
        voucher: { code: 'HEMAT', amount: 5_000, productId: 3 },
      }));
      await ctx.session.expect('contact_message');
      seen.push(ctx.session.get());
    });
    await burst(kv, 700_008, 1, async (ctx) => void seen.push(ctx.session.get()));
    const both = { awaiting: 'contact_message', voucher: { code: 'HEMAT', amount: 5_000, productId: 3 } };
    expect(seen).toEqual([both, both]);
  });
});

import { randomBytes } from 'node:crypto';
import type { BotDeps, ShopContext } from './context';
import { rateLimit } from './middleware';
import { memoryKv, redisKv, type Kv } from './session/kv';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const LIMIT = 12;

/** Runs `count` private-chat updates of one person through the limiter; what passed and what it said. */
async function burst(kv: Kv, userId: number, count: number) {
  const deps = {
    kv,
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
    await limiter(ctx, async () => void passed++);
  }
  return { passed, said };
}

describe.each([
  ['memory', async () => memoryKv()],
  ['redis', async () => redisKv(REDIS_URL, `qc_test_rate_${randomBytes(4).toString('hex')}:`)],
])('the per-person rate limit (%s)', (_name, makeKv) => {
  let kv: Kv;
  beforeEach(async () => {
    kv = await makeKv();
  });
  afterEach(async () => {
    jest.restoreAllMocks();
    await kv.close();
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
});

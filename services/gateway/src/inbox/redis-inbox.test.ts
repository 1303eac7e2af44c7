import { randomBytes } from 'node:crypto';
import { createLogger } from '@quickcart/kit';
import { createClient } from 'redis';
import type { Update } from 'telegraf/types';
import { DeferUpdate, type UpdateHandler } from './inbox';
import { RedisInbox } from './redis-inbox';

/** The inbox against the real Redis, each test under keys of its own (forgotten afterwards). */
const url = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const logger = createLogger('inbox-test', 'silent');
const settings = { partitions: 4, maxAttempts: 3, pauseMs: () => 20, leaseMs: 1_500, blockMs: 200 };
let redis: ReturnType<typeof createClient>;
let prefix: string;
const open: RedisInbox[] = [];

beforeAll(async () => {
  redis = createClient({ url });
  await redis.connect();
});
beforeEach(() => {
  prefix = `test:inbox:${randomBytes(4).toString('hex')}:`;
});
afterEach(async () => {
  await Promise.all(open.splice(0).map((inbox) => inbox.stop(0).catch(() => undefined)));
  for await (const keys of redis.scanIterator({ MATCH: `${prefix}*`, COUNT: 1000 }))
    if (keys.length > 0) await redis.del(keys);
});
afterAll(() => redis?.quit());

const inbox = async (overrides: Partial<typeof settings> = {}) => {
  const made = await RedisInbox.connect(url, prefix, { ...settings, ...overrides }, logger);
  open.push(made);
  return made;
};
const after = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
async function until(ok: () => boolean, what: string, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!ok()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await after(20);
  }
}

const PARTITION_COMMANDS = new Set(['XREADGROUP', 'XGROUP', 'XAUTOCLAIM']);
let nextId = 1_000;
const message = (chat: number, text: string): Update =>
  ({
    update_id: ++nextId,
    message: { message_id: nextId, date: 0, chat: { id: chat, type: 'private' }, from: { id: chat }, text },
  }) as unknown as Update;
const textOf = (u: Update) => (u as { message: { text: string } }).message.text;

describe('the Redis inbox', () => {
  it('stores an update once however often it is added, and runs it once', async () => {
    const a = await inbox();
    const seen: string[] = [];
    a.start(async (u) => void seen.push(textOf(u)));
    const u = message(7, 'once');
    await a.add([u]);
    await a.add([u, u]);
    await until(() => seen.length === 1, 'the update');
    await after(500);
    expect(seen).toEqual(['once']);
  });

  it("keeps one chat's order with two gateways sharing the partitions, other chats side by side", async () => {
    const runs: { chat: number; text: string; by: string }[] = [];
    const handler =
      (by: string): UpdateHandler =>
      async (u) => {
        await after(Math.random() * 15);
        runs.push({
          chat: (u as { message: { chat: { id: number } } }).message.chat.id,
          text: textOf(u),
          by,
        });
      };
    const a = await inbox();
    const b = await inbox();
    a.start(handler('a'));
    b.start(handler('b'));
    // Both heartbeats have run: the four partitions are held, shared between the two.
    for (let shared = false, i = 0; !shared; i++) {
      if (i > 200) throw new Error('the partitions were never shared');
      const holders = await Promise.all([0, 1, 2, 3].map((p) => redis.get(`${prefix}inbox:lease:${p}`)));
      shared = holders.every(Boolean) && new Set(holders).size === 2;
      if (!shared) await after(50);
    }
    const chats = [11, 12, 13, 14, 15, 16];
    for (let i = 0; i < 20; i++) await (i % 2 ? a : b).add(chats.map((c) => message(c, `${c}-${i}`)));
    await until(() => runs.length === 120, 'every update', 20_000);
    for (const chat of chats)
      expect(runs.filter((r) => r.chat === chat).map((r) => r.text)).toEqual(
        Array.from({ length: 20 }, (_, i) => `${chat}-${i}`),
      );
    expect(new Set(runs.map((r) => r.by))).toEqual(new Set(['a', 'b']));
  });

  it('hands an unfinished update back on stop; another gateway runs it, then the later ones in order', async () => {
    const a = await inbox({ partitions: 1 });
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const startedByA: string[] = [];
    a.start(async (u) => {
      startedByA.push(textOf(u));
      await held;
    });
    await a.add([message(21, 'first'), message(21, 'second')]);
    await until(() => startedByA.length === 1, 'a holding the first');
    await a.stop(100);
    release();

    const b = await inbox({ partitions: 1 });
    const byB: string[] = [];
    b.start(async (u) => void byB.push(textOf(u)));
    await until(() => byB.length === 2, 'b running both');
    expect(byB).toEqual(['first', 'second']);
  });

  it('puts an update that keeps failing in the dead-letter list after its attempts, and goes on', async () => {
    const a = await inbox({ partitions: 1 });
    const tries: number[] = [];
    const done: string[] = [];
    a.start(async (u, attempt) => {
      if (textOf(u) === 'poison') {
        tries.push(attempt.number);
        throw Object.assign(new Error('orders unreachable'), { name: 'Upstream' });
      }
      done.push(textOf(u));
    });
    const poison = message(31, 'poison');
    await a.add([poison, message(31, 'after')]);
    await until(() => done.length === 1, 'the next update of the chat');
    expect(tries).toEqual([1, 2, 3]);
    const letters = await redis.xRange(`${prefix}inbox:dead`, '-', '+');
    expect(letters.map((l) => l.message)).toEqual([
      expect.objectContaining({
        updateId: String(poison.update_id),
        updateType: 'message',
        chatId: '31',
        attempts: '3',
        error: 'Upstream: orders unreachable',
      }),
    ]);
    expect(letters[0]!.message).not.toHaveProperty('u');
    expect(JSON.parse((await redis.hGet(`${prefix}inbox:dead:updates`, String(poison.update_id)))!)).toEqual(
      poison,
    );
    expect(await redis.xLen(`${prefix}inbox:0`)).toBe(0); // acknowledged and deleted
  });

  it('counts a try whose gateway died: past the attempts it goes to the dead letters unrun', async () => {
    const poison = message(41, 'kills its gateway');
    await redis.set(`${prefix}inbox:attempts:${poison.update_id}`, '3');
    const a = await inbox({ partitions: 1 });
    const ran: string[] = [];
    a.start(async (u) => void ran.push(textOf(u)));
    await a.add([poison, message(41, 'next')]);
    await until(() => ran.length === 1, 'the next update');
    expect(ran).toEqual(['next']);
    const [letter] = await redis.xRange(`${prefix}inbox:dead`, '-', '+');
    expect(letter!.message).toMatchObject({
      attempts: '3',
      error: expect.stringContaining('never finished'),
    });
  });

  it('tells the metrics its depth over every partition and the dead letters it keeps', async () => {
    const a = await inbox();
    expect(await a.stats()).toEqual({ depth: 0, deadLetters: 0 });
    // Stored before any gateway reads: every update waits, in whichever partition its chat is.
    await a.add([message(21, 'satu'), message(22, 'dua'), message(23, 'tiga'), message(24, 'poison')]);
    expect(await a.stats()).toEqual({ depth: 4, deadLetters: 0 });
    const done: string[] = [];
    a.start(async (u) => {
      if (textOf(u) === 'poison') throw new Error('down');
      done.push(textOf(u));
    });
    await until(() => done.length === 3, 'the three good updates');
    const end = Date.now() + 10_000;
    let stats = await a.stats();
    while (stats.depth > 0 && Date.now() < end) {
      await after(50);
      stats = await a.stats();
    }
    expect(stats).toEqual({ depth: 0, deadLetters: 1 });
  });

  it("runs a deferred update again at its time, its chat's later updates after it, others' at once", async () => {
    const a = await inbox();
    const runs: string[] = [];
    let deferred = false;
    a.start(async (u) => {
      if (textOf(u) === 'tahan' && !deferred) {
        deferred = true;
        throw new DeferUpdate(Date.now() + 1_500, 'telegram asked to wait');
      }
      runs.push(textOf(u));
    });
    const started = Date.now();
    await a.add([message(31, 'tahan'), message(31, 'sesudahnya')]);
    await a.add([message(31 + 1, 'orang lain')]);
    await until(() => runs.includes('orang lain') && deferred, 'the deferral and the other chat');
    let held = false;
    for (let i = 0; i < 50 && !held; i++) held = (await a.isHeld(31)) || (await after(20), false);
    expect(held).toBe(true);
    expect(runs).toEqual(['orang lain']);
    await until(() => runs.length === 3, 'the deferred update and the one behind it');
    expect(runs).toEqual(['orang lain', 'tahan', 'sesudahnya']);
    expect(Date.now() - started).toBeGreaterThanOrEqual(1_400);
  });

  it('stores a batch in one round trip and settles each update in two (the cost of every update)', async () => {
    // leaseMs long: the heartbeat runs once, at start, and not again while this test counts.
    const a = await inbox({ partitions: 1, leaseMs: 60_000 });
    const done: string[] = [];
    a.start(async (u) => void done.push(textOf(u)));
    await until(() => (a as unknown as { owned: Map<number, unknown> }).owned.size === 1, 'the partition');
    // MONITOR shows each command a client sends (a script's own calls are marked "lua", not counted).
    const watcher = redis.duplicate();
    await watcher.connect();
    const sent: string[] = [];
    await watcher.monitor((line) => {
      const [, source, command] = /\[\d+ ([^\]]+)\] "([^"]+)"/.exec(line) ?? [];
      const name = command?.toUpperCase() ?? '';
      // The partition's reads, and its set-up (which may still be under way), are not an update's.
      if (source !== 'lua' && line.includes(prefix) && !PARTITION_COMMANDS.has(name)) sent.push(name);
    });
    await a.add([message(51, 'satu'), message(52, 'dua'), message(51, 'tiga')]);
    await until(() => done.length === 3, 'the three updates');
    await until(() => sent.length >= 7, 'the settling', 2_000).catch(() => undefined);
    await after(100);
    await watcher.disconnect();
    // One to store the batch; per update, one to look at its chat and count its try, one to settle it.
    expect(sent).toEqual(Array(7).fill('EVAL'));
  });
});

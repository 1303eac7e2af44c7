import { createLogger } from '@quickcart/kit';
import type { Update } from 'telegraf/types';
import { DeferUpdate } from './inbox';
import { MemoryInbox } from './memory-inbox';

const logger = createLogger('inbox-test', 'silent');
const after = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
let nextId = 1;
const message = (chat: number, text: string): Update =>
  ({
    update_id: ++nextId,
    message: { message_id: nextId, date: 0, chat: { id: chat, type: 'private' }, from: { id: chat }, text },
  }) as unknown as Update;
const textOf = (u: Update) => (u as { message: { text: string } }).message.text;

describe('the in-memory inbox (no Redis)', () => {
  it("runs one chat's updates in order while another chat's go on, and each update_id once", async () => {
    const inbox = new MemoryInbox({ maxAttempts: 3, pauseMs: () => 10 }, logger);
    const runs: string[] = [];
    inbox.start(async (u) => {
      if (textOf(u) === 'slow') await after(200);
      runs.push(textOf(u));
    });
    const slow = message(1, 'slow');
    await inbox.add([slow, message(1, 'after slow'), slow, message(2, 'other chat')]);
    await after(100);
    expect(runs).toEqual(['other chat']);
    await inbox.stop(1_000);
    expect(runs).toEqual(['other chat', 'slow', 'after slow']);
  });

  it('takes an update id Telegram gives out again after a quiet week (a later date) as a new update', async () => {
    const inbox = new MemoryInbox({ maxAttempts: 3, pauseMs: () => 10 }, logger);
    const runs: string[] = [];
    inbox.start(async (u) => void runs.push(textOf(u)));
    const first = message(3, 'minggu lalu');
    const reused = {
      ...first,
      message: { ...(first as { message: object }).message, date: 604_800, text: 'minggu ini' },
    } as unknown as Update;
    await inbox.add([first, first, reused]);
    await inbox.stop(1_000);
    expect(runs).toEqual(['minggu lalu', 'minggu ini']);
  });

  it('tries a failing update again, then gives up after its attempts and goes on', async () => {
    const inbox = new MemoryInbox({ maxAttempts: 3, pauseMs: () => 10 }, logger);
    const tries: number[] = [];
    const done: string[] = [];
    inbox.start(async (u, attempt) => {
      if (textOf(u) === 'poison') {
        tries.push(attempt.number);
        throw new Error('down');
      }
      done.push(textOf(u));
    });
    await inbox.add([message(3, 'poison'), message(3, 'next')]);
    for (let i = 0; i < 100 && done.length === 0; i++) await after(20);
    await inbox.stop(1_000);
    expect({ tries, done }).toEqual({ tries: [1, 2, 3], done: ['next'] });
  });

  it('tells the metrics its depth (waiting and running updates) and its dead letters', async () => {
    const inbox = new MemoryInbox({ maxAttempts: 2, pauseMs: () => 10 }, logger);
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    inbox.start(async (u) => {
      if (textOf(u) === 'poison') throw new Error('down');
      if (textOf(u) === 'held') await held;
    });
    expect(await inbox.stats()).toEqual({ depth: 0, deadLetters: 0 });
    await inbox.add([message(4, 'held'), message(4, 'behind it'), message(5, 'poison')]);
    expect((await inbox.stats()).depth).toBe(3);
    for (let i = 0; i < 100 && (await inbox.stats()).deadLetters === 0; i++) await after(20);
    expect(await inbox.stats()).toEqual({ depth: 2, deadLetters: 1 });
    release();
    await inbox.stop(1_000);
    expect(await inbox.stats()).toEqual({ depth: 0, deadLetters: 1 });
  });

  it("runs a deferred update again at its time, its chat's later updates after it, others' at once", async () => {
    const a = new MemoryInbox({ maxAttempts: 3, pauseMs: () => 10 }, logger);
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
    await after(300);
    expect(runs).toEqual(['orang lain']);
    expect(await a.isHeld(31)).toBe(true);
    await after(1_500);
    expect(runs).toEqual(['orang lain', 'tahan', 'sesudahnya']);
    expect(Date.now() - started).toBeGreaterThanOrEqual(1_400);
    await a.stop(100);
  });
});

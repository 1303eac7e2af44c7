import { ChatPace } from './chat-pace';
import { memoryKv } from './session/kv';

const GROUP = -1_001_234_567_890;

describe("a group's pace", () => {
  it('takes a burst of five at once, then about one a second', async () => {
    const pace = new ChatPace(memoryKv(), 20);
    const waits: number[] = [];
    for (let i = 0; i < 7; i++) waits.push((await pace.take(GROUP, 5_000)).waitMs);
    expect(waits.slice(0, 5)).toEqual([0, 0, 0, 0, 0]);
    expect(waits[5]).toBeGreaterThan(900);
    expect(waits[5]).toBeLessThan(1_200);
    expect(waits[6]).toBeGreaterThan(1_900);
  });

  it('reports a turn further off than the caller may wait, and takes nothing', async () => {
    const pace = new ChatPace(memoryKv(), 20);
    for (let i = 0; i < 5; i++) await pace.take(GROUP, 5_000);
    const far = await pace.take(GROUP, 500);
    expect(far).toEqual({ waitMs: expect.any(Number), taken: false });
    expect(far.waitMs).toBeGreaterThan(500);
    // Nothing was taken: the next caller's turn is no later.
    expect(Math.abs((await pace.waitMs(GROUP)) - far.waitMs)).toBeLessThan(50);
  });

  it("holds a group to 20 a minute: with a minute's worth just spent, the next waits three seconds", async () => {
    const kv = memoryKv();
    // The minute rule's bucket just emptied (20 turns), the one-a-second rule's free again.
    const now = Date.now();
    await kv.set(`pace:${GROUP}`, `${now + 60_000},${now}`, 120);
    const pace = new ChatPace(kv, 20);
    const wait = await pace.waitMs(GROUP);
    expect(wait).toBeGreaterThan(2_900);
    expect(wait).toBeLessThan(3_300);
  });

  it('paces groups only, and only messages and edits', () => {
    const pace = new ChatPace(memoryKv(), 20);
    expect(pace.counts('sendMessage', GROUP)).toBe(true);
    expect(pace.counts('editMessageText', GROUP)).toBe(true);
    expect(pace.counts('sendChatAction', GROUP)).toBe(false);
    expect(pace.counts('sendMessage', 42)).toBe(false);
  });
});

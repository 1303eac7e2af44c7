import type { createClient } from 'redis';

type Client = ReturnType<typeof createClient>;

/**
 * Moves deferred entries whose time has come (score ≤ ARGV[1]) back to their partition's stream, in
 * the order they were deferred, marked released (`r`). Members are "<seq>|<partition>|<update>".
 */
const MOVE_DUE_SCRIPT = `
local due = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], 'LIMIT', 0, 100)
for _, m in ipairs(due) do
  local a = string.find(m, '|', 1, true)
  local b = string.find(m, '|', a + 1, true)
  local stream = ARGV[2] .. string.sub(m, a + 1, b - 1)
  redis.call('XADD', stream, '*', 'u', string.sub(m, b + 1), 'r', '1')
  redis.call('EXPIRE', stream, ARGV[3])
  redis.call('ZREM', KEYS[1], m)
end
return #due`;

/**
 * The Redis inbox's updates waiting for a not-before time (DeferUpdate: a reply Telegram holds back for
 * long, a group notice waiting for its group's turn), docs/architecture.md §8.1. They wait in the sorted
 * set `inbox:later` by that time; the deferred update holds its chat (`inbox:hold:<chat>`), so the
 * chat's later updates line up behind it there while its partition goes on with everyone else's.
 */
export class DeferredUpdates {
  constructor(
    private readonly client: Client,
    private readonly key: (...parts: (string | number)[]) => string,
    private readonly leaseMs: number,
    private readonly streamTtlS: number,
  ) {}

  /** The key holding `chat` while it is held: until when (ms). The inbox reads it as it counts a try. */
  holdKey(chat: number): string {
    return this.key('hold', chat);
  }

  async isHeld(chat: number): Promise<boolean> {
    return (await this.client.exists(this.holdKey(chat))) === 1;
  }

  /**
   * Keeps the update `raw` of partition `p` until `notBefore`. The deferred update itself (`holds`)
   * holds its chat until then and two leases longer, so what the chat sends meanwhile, and what arrives
   * before a heartbeat has moved it back, lines up behind it.
   */
  async keep(p: number, raw: string, chat: number, notBefore: number, holds: boolean): Promise<void> {
    const seq = await this.client.incr(this.key('later', 'seq'));
    await this.client.zAdd(this.key('later'), {
      score: notBefore,
      value: `${String(seq).padStart(16, '0')}|${p}|${raw}`,
    });
    if (holds)
      await this.client.set(this.holdKey(chat), String(notBefore), {
        PX: Math.max(1, notBefore - Date.now()) + 2 * this.leaseMs,
      });
  }

  /** Puts what is due back in its partition's stream (every gateway's heartbeat; atomic, so once). */
  async moveDue(): Promise<void> {
    await this.client.eval(MOVE_DUE_SCRIPT, {
      keys: [this.key('later')],
      arguments: [String(Date.now()), this.key(''), String(this.streamTtlS)],
    });
  }
}

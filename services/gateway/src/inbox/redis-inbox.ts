import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type { Logger } from '@quickcart/kit';
import { createClient } from 'redis';
import type { Update } from 'telegraf/types';
import {
  ChatChains,
  chatOf,
  describeUpdate,
  partitionOf,
  runWithAttempts,
  updateIdentity,
  type AttemptPolicy,
  type Inbox,
  type InboxStats,
  type UpdateHandler,
} from './inbox';
import { DeferredUpdates } from './deferred-updates';

type Client = ReturnType<typeof createClient>;
/** `released`: put back by the mover after its deferral, so it may run though its chat is held. */
type Entry = { id: string; update?: Update; raw: string; released?: boolean };

/** The consumer group every gateway reads the partitions in. */
export const GROUP = 'gateways';
/** Long enough for no update id to come back while its first copy could still be handed over. */
const SEEN_TTL_S = 24 * 3600;
/** A partition nobody wrote to for this long is forgotten with its group. */
const STREAM_TTL_S = 7 * 24 * 3600;
const DEAD_LETTERS_KEPT = 10_000;
const DEAD_UPDATES_TTL_S = 7 * 24 * 3600;

export interface RedisInboxSettings extends AttemptPolicy {
  /** How many streams the chats are spread over; each is read by one gateway at a time. */
  partitions: number;
  /** A gateway that stops renewing its partitions loses them after this long. Default 10 s. */
  leaseMs?: number;
  /** Updates of one partition handled side by side (different chats) by one gateway. Default 32. */
  inFlightPerPartition?: number;
  /** How long a read waits for a new update before the loop looks around. Default 1 s. */
  blockMs?: number;
}

/**
 * Stores a batch in one round trip, in order: keys come in pairs (the update's seen-key, its partition's
 * stream), ARGV[1..2] are the TTLs and ARGV[3..] the updates. One already seen is not stored again.
 */
const ADD_SCRIPT = `
for i = 1, #KEYS, 2 do
  if redis.call('SET', KEYS[i], '1', 'NX', 'EX', ARGV[1]) then
    redis.call('XADD', KEYS[i + 1], '*', 'u', ARGV[2 + (i + 1) / 2])
    redis.call('EXPIRE', KEYS[i + 1], ARGV[2])
  end
end
return 0`;

/**
 * Before an update runs: whether its chat is held (KEYS[1]: until when, ms) and, when it is not, its try
 * counted (KEYS[2]) in the same round trip. A held chat's update waits behind the deferred one; the
 * deferred one itself, put back (ARGV[1] = '1'), runs once its time (ARGV[2]) has come.
 * Returns {heldUntil or '', the try's number, 0 when it waits}.
 */
const BEGIN_SCRIPT = `
local held = redis.call('GET', KEYS[1])
local untilMs = tonumber(held or '')
if untilMs and (ARGV[1] == '0' or untilMs > tonumber(ARGV[2])) then return {held, 0} end
local n = redis.call('INCR', KEYS[2])
if n == 1 then redis.call('EXPIRE', KEYS[2], ARGV[3]) end
return {'', n}`;

/** Acknowledges and deletes a stream entry, and forgets its tries (KEYS[2]) when one is named. */
const SETTLE_SCRIPT = `
redis.call('XACK', KEYS[1], ARGV[1], ARGV[2])
redis.call('XDEL', KEYS[1], ARGV[2])
if KEYS[2] then redis.call('DEL', KEYS[2]) end
return 0`;

/** Renews the leases still held by ARGV[1]; returns the (1-based) positions of those lost. */
const RENEW_SCRIPT = `
local lost = {}
for i, key in ipairs(KEYS) do
  if redis.call('GET', key) == ARGV[1] then redis.call('PEXPIRE', key, ARGV[2]) else table.insert(lost, i) end
end
return lost`;

const RELEASE_SCRIPT = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0`;

/**
 * The durable inbox (docs/architecture.md §8.1): Redis Streams with one consumer group.
 *
 * - `add` writes each update, once per update_id, to one of `partitions` streams chosen by its chat.
 * - Each partition is read by one gateway at a time, which holds a lease on it (a key with a TTL it
 *   renews). The gateways share the partitions evenly: each heartbeats into a sorted set, takes free
 *   partitions up to its share and gives back those above it.
 * - Inside a partition, one chat's updates run one at a time in stream order; chats side by side.
 * - An entry is acknowledged (XACK, then XDEL) only when its handler finished. A gateway taking a
 *   partition first claims (XAUTOCLAIM) what the previous holder left unacknowledged and runs that first.
 * - A try is counted in Redis before it runs; past `maxAttempts` the update goes to the dead-letter
 *   stream `inbox:dead` (what and why, never its text) and its body to the hash `inbox:dead:updates`.
 * - A deferred update (DeferUpdate: a reply Telegram holds back for long) is acknowledged and kept in
 *   the sorted set `inbox:later` until its time, and its chat is held (`inbox:hold:<chat>`): the chat's
 *   later updates join it there, in order, so the partition goes on with everyone else. Every gateway's
 *   heartbeat moves what is due back to its stream.
 */
export class RedisInbox implements Inbox {
  readonly kind = 'redis';
  private readonly me = `${hostname()}-${process.pid}-${randomBytes(3).toString('hex')}`;
  private readonly owned = new Map<number, { releasing: boolean; lost: boolean; ended: Promise<void> }>();
  private readonly chains = new Map<number, ChatChains>();
  private readonly readers = new Set<Client>();
  private handler?: UpdateHandler;
  private stopping = false;
  private ticker?: NodeJS.Timeout;
  private ticking?: Promise<void>;

  private readonly later: DeferredUpdates;

  private constructor(
    private readonly client: Client,
    private readonly prefix: string,
    private readonly s: RedisInboxSettings,
    private readonly logger: Logger,
  ) {
    this.later = new DeferredUpdates(client, (...parts) => this.key(...parts), this.leaseMs, STREAM_TTL_S);
  }

  static async connect(
    url: string,
    prefix: string,
    s: RedisInboxSettings,
    logger: Logger,
  ): Promise<RedisInbox> {
    const client = createClient({ url });
    client.on('error', () => {}); // reconnects by itself; a failed command is retried by its caller
    await client.connect();
    return new RedisInbox(client, prefix, s, logger);
  }

  private key(...parts: (string | number)[]): string {
    return `${this.prefix}inbox:${parts.join(':')}`;
  }

  private get leaseMs(): number {
    return this.s.leaseMs ?? 10_000;
  }

  async add(updates: readonly Update[]): Promise<void> {
    if (this.stopping) throw new Error('the inbox is shutting down');
    if (updates.length === 0) return;
    await this.client.eval(ADD_SCRIPT, {
      keys: updates.flatMap((u) => [
        this.key('seen', updateIdentity(u)),
        this.key(partitionOf(u, this.s.partitions)),
      ]),
      arguments: [String(SEEN_TTL_S), String(STREAM_TTL_S), ...updates.map((u) => JSON.stringify(u))],
    });
  }

  start(handler: UpdateHandler): void {
    this.handler = handler;
    const tick = () => {
      this.ticking ??= this.tick()
        .catch((error: Error) => void this.logger.warn('inbox heartbeat failed', { message: error.message }))
        .finally(() => (this.ticking = undefined));
    };
    tick();
    this.ticker = setInterval(tick, Math.floor(this.leaseMs / 3));
  }

  async stop(graceMs: number): Promise<void> {
    this.stopping = true;
    clearInterval(this.ticker);
    await this.ticking;
    const held = [...this.owned.keys()];
    // Blocked reads end at once; what they had not handed out stays pending for the next holder.
    for (const reader of this.readers) closeNow(reader);
    const deadline = Date.now() + graceMs;
    const unfinished = await Promise.all(
      [...this.chains.values()].map((c) => c.allEnded(Math.max(0, deadline - Date.now()))),
    );
    await Promise.all([...this.owned.values()].map((o) => o.ended));
    const left = unfinished.filter((ended) => !ended).length;
    if (left > 0)
      this.logger.warn('inbox: updates still running at shutdown are handed back', { partitions: left });
    // Given back at once, so another gateway takes them now rather than after the lease runs out.
    await Promise.all(held.map((p) => this.release(p)));
    await this.client.zRem(this.key('consumers'), this.me).catch(() => undefined);
    await this.client.quit().catch(() => undefined);
  }

  /**
   * Entries are deleted once settled, so a partition's length is what it still holds (unread, in hand,
   * or left by a gateway that ended), and what waits for a not-before time (`inbox:later`) is not yet
   * finished either; the dead letters are the `inbox:dead` stream's.
   */
  async stats(): Promise<InboxStats> {
    const multi = this.client.multi();
    for (let p = 0; p < this.s.partitions; p++) multi.xLen(this.key(p));
    multi.zCard(this.key('later'));
    multi.xLen(this.key('dead'));
    const lengths = (await multi.exec()).map(Number);
    const deadLetters = lengths.pop() ?? 0;
    return { depth: lengths.reduce((sum, n) => sum + n, 0), deadLetters };
  }

  /** Heartbeat: renew what this gateway holds, give back what is above its share, take up to it. */
  private async tick(): Promise<void> {
    const now = Date.now();
    const consumers = this.key('consumers');
    await this.client.zAdd(consumers, { score: now, value: this.me });
    await this.client.zRemRangeByScore(consumers, '-inf', now - 2 * this.leaseMs);
    await this.client.pExpire(consumers, 10 * this.leaseMs); // gone with the last gateway
    const live = Math.max(1, await this.client.zCard(consumers));
    const share = Math.ceil(this.s.partitions / live);

    const held = [...this.owned.entries()].filter(([, o]) => !o.releasing && !o.lost);
    if (held.length > 0) {
      const lost = (await this.client.eval(RENEW_SCRIPT, {
        keys: held.map(([p]) => this.key('lease', p)),
        arguments: [this.me, String(this.leaseMs)],
      })) as number[];
      for (const i of lost) {
        const [p, o] = held[i - 1]!;
        o.lost = true;
        this.logger.warn('inbox: lease lost; partition left to another gateway', { partition: p });
      }
    }
    const holding = [...this.owned.entries()].filter(([, o]) => !o.releasing && !o.lost);
    for (const [, o] of holding.slice(share)) o.releasing = true;
    await this.later.moveDue();
    if (this.stopping) return;

    let count = Math.min(holding.length, share);
    const start = Math.floor(Math.random() * this.s.partitions);
    for (let i = 0; i < this.s.partitions && count < share; i++) {
      const p = (start + i) % this.s.partitions;
      if (this.owned.has(p)) continue;
      const taken = await this.client.set(this.key('lease', p), this.me, { NX: true, PX: this.leaseMs });
      if (taken !== 'OK') continue;
      count++;
      const state = { releasing: false, lost: false, ended: Promise.resolve() };
      this.owned.set(p, state);
      state.ended = this.read(p, state).finally(async () => {
        this.owned.delete(p);
        if (state.releasing && !this.stopping) await this.release(p);
      });
    }
  }

  isHeld(chat: number): Promise<boolean> {
    return this.later.isHeld(chat);
  }

  private async release(p: number): Promise<void> {
    await this.client
      .eval(RELEASE_SCRIPT, { keys: [this.key('lease', p)], arguments: [this.me] })
      .catch(() => undefined);
  }

  private async ensureGroup(stream: string): Promise<void> {
    try {
      await this.client.sendCommand(['XGROUP', 'CREATE', stream, GROUP, '0', 'MKSTREAM']);
    } catch (error) {
      if (!/BUSYGROUP/.test((error as Error).message)) throw error;
    }
  }

  /** One partition while this gateway holds it: what the last holder left first, then new entries. */
  private async read(p: number, state: { releasing: boolean; lost: boolean }): Promise<void> {
    const stream = this.key(p);
    const chains = this.chains.get(p) ?? new ChatChains();
    this.chains.set(p, chains);
    const reader = this.client.duplicate();
    reader.on('error', () => {});
    this.readers.add(reader);
    try {
      await reader.connect();
      await this.ensureGroup(stream);
      await this.claimLeftovers(stream);
      let cursor = '0'; // this consumer's pending entries (the claimed ones), then '>' for new ones
      while (!this.stopping && !state.releasing && !state.lost) {
        while (chains.size >= (this.s.inFlightPerPartition ?? 32)) await chains.oneEnded();
        let entries: Entry[];
        try {
          entries = parseRead(
            await reader.sendCommand([
              'XREADGROUP',
              'GROUP',
              GROUP,
              this.me,
              'COUNT',
              '16',
              ...(cursor === '>' ? ['BLOCK', String(this.s.blockMs ?? 1_000)] : []),
              'STREAMS',
              stream,
              cursor,
            ]),
          );
        } catch (error) {
          if (this.stopping || state.releasing || state.lost) break;
          if (/NOGROUP/.test((error as Error).message)) await this.ensureGroup(stream);
          else {
            this.logger.warn('inbox read failed', { partition: p, message: (error as Error).message });
            await new Promise((resolve) => setTimeout(resolve, 1_000));
          }
          continue;
        }
        if (cursor !== '>') {
          if (entries.length === 0) cursor = '>';
          else cursor = entries[entries.length - 1]!.id;
        }
        for (const entry of entries) {
          const chat = entry.update ? chatOf(entry.update) : 0;
          chains.run(chat, () => this.settle(p, stream, entry));
        }
      }
      // A partition given back is given back once its updates in hand are done.
      if (!this.stopping) await chains.allEnded(Number.MAX_SAFE_INTEGER);
    } catch (error) {
      this.logger.warn('inbox partition reader ended', { partition: p, message: (error as Error).message });
    } finally {
      this.readers.delete(reader);
      closeNow(reader);
    }
  }

  /** Everything left unacknowledged in the partition (a gateway that died or gave it back) becomes ours. */
  private async claimLeftovers(stream: string): Promise<void> {
    let start = '0-0';
    do {
      const reply = (await this.client.sendCommand([
        'XAUTOCLAIM',
        stream,
        GROUP,
        this.me,
        '0',
        start,
        'COUNT',
        '100',
        'JUSTID',
      ])) as [string, ...unknown[]];
      start = reply[0];
    } while (start !== '0-0');
  }

  private async settle(p: number, stream: string, entry: Entry): Promise<void> {
    try {
      if (!entry.update && entry.raw !== '') {
        await this.deadLetter(p, entry, undefined, 0, new Error('not an update (unreadable entry)'));
      } else if (entry.update) {
        const chat = chatOf(entry.update);
        const attemptsKey = this.key('attempts', entry.update.update_id);
        const [heldUntil, first] = (await this.client.eval(BEGIN_SCRIPT, {
          keys: [this.later.holdKey(chat), attemptsKey],
          arguments: [entry.released ? '1' : '0', String(Date.now()), String(SEEN_TTL_S)],
        })) as [string, number];
        if (first === 0) {
          await this.later.keep(p, entry.raw, chat, Math.max(Date.now(), Number(heldUntil)), false);
          return await this.settled(stream, entry);
        }
        // The first try was counted with the look at its chat; a try after a failure counts itself.
        let firstTry: number | undefined = first;
        const result = await runWithAttempts(entry.update, this.handler!, {
          policy: this.s,
          countAttempt: async () => {
            const counted = firstTry;
            firstTry = undefined;
            if (counted !== undefined) return counted;
            const n = await this.client.incr(attemptsKey);
            if (n === 1) await this.client.expire(attemptsKey, SEEN_TTL_S);
            return n;
          },
          uncountAttempt: async () => void (await this.client.decr(attemptsKey)),
          stopping: () => this.stopping,
          logger: this.logger,
        });
        if (result.outcome === 'handedBack') return;
        if (result.outcome === 'deferred') await this.later.keep(p, entry.raw, chat, result.notBefore, true);
        if (result.outcome === 'dead')
          await this.deadLetter(p, entry, entry.update, result.attempts, result.error);
        return await this.settled(stream, entry, result.outcome === 'deferred' ? undefined : attemptsKey);
      }
      await this.settled(stream, entry);
    } catch (error) {
      // Left pending: the next holder of the partition runs it again (at least once, never lost).
      this.logger.error('inbox entry not settled', { partition: p, entryId: entry.id, error });
    }
  }

  /** Done with an entry: acknowledged and deleted, its tries forgotten when `attemptsKey` is named. */
  private async settled(stream: string, entry: Entry, attemptsKey?: string): Promise<void> {
    await this.client.eval(SETTLE_SCRIPT, {
      keys: attemptsKey ? [stream, attemptsKey] : [stream],
      arguments: [GROUP, entry.id],
    });
  }

  private async deadLetter(
    p: number,
    entry: Entry,
    update: Update | undefined,
    attempts: number,
    error: unknown,
  ): Promise<void> {
    const what = update ? describeUpdate(update) : { updateId: 0, updateType: 'unknown', chatId: 0 };
    const e = error as Error;
    const letter = {
      updateId: String(what.updateId),
      updateType: what.updateType,
      chatId: String(what.chatId),
      userId: String(what.userId ?? ''),
      partition: String(p),
      entryId: entry.id,
      attempts: String(attempts),
      // Name and message only, as the logger keeps them: no stack, no request body.
      error: `${e?.name ?? 'Error'}: ${String(e?.message ?? error).slice(0, 300)}`,
      at: new Date().toISOString(),
    };
    await this.client.sendCommand([
      'XADD',
      this.key('dead'),
      'MAXLEN',
      '~',
      String(DEAD_LETTERS_KEPT),
      '*',
      ...Object.entries(letter).flat(),
    ]);
    await this.client.hSet(this.key('dead', 'updates'), letter.updateId, entry.raw);
    // It may hold what nobody should keep for long (an admin's /addstock lines): a week to replay it.
    await this.client.expire(this.key('dead', 'updates'), DEAD_UPDATES_TTL_S);
    this.logger.error('update dead-lettered', { ...what, partition: p, attempts, error });
  }
}

/** Closes a connection at once (a blocked read ends); one closed already is left as it is. */
function closeNow(client: Client): void {
  try {
    client.destroy();
  } catch {
    // closed already
  }
}

/** XREADGROUP's RESP2 answer: [[stream, [[id, [field, value, ...]], ...]]] or null. */
function parseRead(reply: unknown): Entry[] {
  if (!Array.isArray(reply)) return [];
  const entries: Entry[] = [];
  for (const [, messages] of reply as [string, [string, string[] | null][]][]) {
    for (const [id, fields] of messages) {
      if (!fields) {
        entries.push({ id, raw: '' }); // deleted while pending: only its acknowledgement is left to do
        continue;
      }
      const raw = fields[fields.indexOf('u') + 1] ?? '';
      const released = fields.includes('r');
      let update: Update | undefined;
      try {
        const parsed = JSON.parse(raw) as Update;
        if (typeof parsed?.update_id === 'number') update = parsed;
      } catch {
        update = undefined;
      }
      entries.push({ id, update, raw, released });
    }
  }
  return entries;
}

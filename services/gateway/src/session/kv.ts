import { createClient } from 'redis';

/**
 * The little the gateway keeps: sessions, rate-limit counters, /notify idempotency. Redis when
 * REDIS_URL is set (several gateway processes share it), memory otherwise (one process).
 */
export interface Kv {
  get(key: string): Promise<string | null>;
  set(key: string, value: string, ttlSeconds: number): Promise<void>;
  /** Stores only if absent; true when stored. */
  setIfAbsent(key: string, value: string, ttlSeconds: number): Promise<boolean>;
  /** Increments, giving the key a TTL when it is new (atomically: a key is never left without one). */
  incr(key: string, ttlSeconds: number): Promise<number>;
  /**
   * `incr(counterKey)` and a `get(readKey)` in one round trip: the rate limiter counts a person's update
   * and reads their session with it (middleware.ts), so an update pays Redis once before its handler.
   */
  incrAndGet(
    counterKey: string,
    ttlSeconds: number,
    readKey: string,
  ): Promise<{ count: number; value: string | null }>;
  /** Replaces `key` only if it still holds `expected` (null: absent). The base of atomic updates. */
  compareAndSet(key: string, expected: string | null, value: string, ttlSeconds: number): Promise<boolean>;
  /** Resolves when the store answers (readiness). */
  ping(): Promise<void>;
  close(): Promise<void>;
}

const CAS_SCRIPT = `
local current = redis.call('GET', KEYS[1])
if (current == false and ARGV[1] == '') or current == ARGV[1] then
  redis.call('SET', KEYS[1], ARGV[2], 'EX', ARGV[3])
  return 1
end
return 0`;

// INCR and its EXPIRE in one step: a process that died between two calls would leave a counter that
// never expires (a person rate-limited for ever), and one round trip is cheaper than two.
const COUNT = `
local n = redis.call('INCR', KEYS[1])
if n == 1 then redis.call('EXPIRE', KEYS[1], ARGV[1]) end`;
const INCR_SCRIPT = `${COUNT}
return n`;
// An absent key's GET is false, which Redis answers as nil inside the array: [n, nil].
const INCR_AND_GET_SCRIPT = `${COUNT}
return {n, redis.call('GET', KEYS[2])}`;

/** `prefix` namespaces every key, so several shops (or test runs) can share one Redis. */
export async function redisKv(url: string, prefix = ''): Promise<Kv> {
  const client = createClient({ url });
  client.on('error', () => {}); // reconnects by itself; commands in flight reject and are retried by callers
  await client.connect();
  return {
    get: (key) => client.get(prefix + key),
    set: async (key, value, ttl) => void (await client.set(prefix + key, value, { EX: ttl })),
    setIfAbsent: async (key, value, ttl) =>
      (await client.set(prefix + key, value, { EX: ttl, NX: true })) === 'OK',
    incr: async (key, ttl) =>
      Number(await client.eval(INCR_SCRIPT, { keys: [prefix + key], arguments: [String(ttl)] })),
    incrAndGet: async (counterKey, ttl, readKey) => {
      // Both keys in one script: on a Redis Cluster they would have to share a hash slot (we run one Redis).
      const [count, value] = (await client.eval(INCR_AND_GET_SCRIPT, {
        keys: [prefix + counterKey, prefix + readKey],
        arguments: [String(ttl)],
      })) as [number, string | null];
      return { count: Number(count), value: value ?? null };
    },
    compareAndSet: async (key, expected, value, ttl) =>
      (await client.eval(CAS_SCRIPT, {
        keys: [prefix + key],
        arguments: [expected ?? '', value, String(ttl)],
      })) === 1,
    ping: async () => void (await client.ping()),
    close: async () => void (await client.quit()),
  };
}

export function memoryKv(): Kv {
  const data = new Map<string, { value: string; expires: number }>();
  const read = (key: string) => {
    const e = data.get(key);
    if (e && e.expires < Date.now()) data.delete(key);
    return data.get(key)?.value ?? null;
  };
  const write = (key: string, value: string, ttl: number) =>
    data.set(key, { value, expires: Date.now() + ttl * 1000 });
  const incr = (key: string, ttl: number) => {
    const n = Number(read(key) ?? 0) + 1;
    const e = data.get(key);
    data.set(key, { value: String(n), expires: e ? e.expires : Date.now() + ttl * 1000 });
    return n;
  };
  return {
    get: async (key) => read(key),
    set: async (key, value, ttl) => void write(key, value, ttl),
    setIfAbsent: async (key, value, ttl) => (read(key) === null ? (write(key, value, ttl), true) : false),
    incr: async (key, ttl) => incr(key, ttl),
    incrAndGet: async (counterKey, ttl, readKey) => ({ count: incr(counterKey, ttl), value: read(readKey) }),
    compareAndSet: async (key, expected, value, ttl) =>
      read(key) === expected ? (write(key, value, ttl), true) : false,
    ping: async () => {},
    close: async () => {},
  };
}

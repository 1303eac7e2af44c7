import type { Kv } from './session/kv';

/** How long one person's (or one group's) count lasts, from the first update it counts. */
export const RATE_WINDOW_SECONDS = 60;

export type RateVerdict = 'pass' | 'notice' | 'silent';

/**
 * docs/features.md §4, one owner for the rule: at most `limit` updates in the 60 s that start with a
 * chat's first counted update; the first one over it gets the "terlalu cepat" notice, the rest silence.
 * The window starts at the first update rather than at the clock's minute: a clock-minute window let a
 * person through twice the limit in the two seconds around a minute's turn.
 */
export async function rateVerdict(kv: Kv, key: string, limit: number): Promise<RateVerdict> {
  return verdictOf(await kv.incr(rateKey(key), RATE_WINDOW_SECONDS), limit);
}

/**
 * `rateVerdict`, with what `readKey` holds read in the same round trip: a person's update counts and
 * fetches their session at once (middleware.ts), so the update pays Redis once before its handler.
 */
export async function rateVerdictReading(
  kv: Kv,
  key: string,
  limit: number,
  readKey: string,
): Promise<{ verdict: RateVerdict; value: string | null }> {
  const { count, value } = await kv.incrAndGet(rateKey(key), RATE_WINDOW_SECONDS, readKey);
  return { verdict: verdictOf(count, limit), value };
}

const rateKey = (key: string) => `rate:${key}`;

function verdictOf(count: number, limit: number): RateVerdict {
  if (count <= limit) return 'pass';
  return count === limit + 1 ? 'notice' : 'silent';
}

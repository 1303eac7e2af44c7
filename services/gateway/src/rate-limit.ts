import type { Kv } from './session/kv';

/** How long one person's (or one group's) count lasts, from the first update it counts. */
export const RATE_WINDOW_SECONDS = 60;

/**
 * docs/features.md §4, one owner for the rule: at most `limit` updates in the 60 s that start with a
 * chat's first counted update; the first one over it gets the "terlalu cepat" notice, the rest silence.
 * The window starts at the first update rather than at the clock's minute: a clock-minute window let a
 * person through twice the limit in the two seconds around a minute's turn.
 */
export async function rateVerdict(kv: Kv, key: string, limit: number): Promise<'pass' | 'notice' | 'silent'> {
  const count = await kv.incr(`rate:${key}`, RATE_WINDOW_SECONDS);
  if (count <= limit) return 'pass';
  return count === limit + 1 ? 'notice' : 'silent';
}

import { statSync } from 'node:fs';
import { rm, writeFile } from 'node:fs/promises';

/** How often a running worker touches its heartbeat file, and how old the file may be and still be healthy. */
export const HEARTBEAT_EVERY_MS = 10_000;
export const HEARTBEAT_MAX_AGE_MS = 30_000;

/**
 * The worker has no listener, so its health is a file it rewrites every HEARTBEAT_EVERY_MS while
 * `isRunning()` (both Temporal workers polling). A worker that stopped, hangs or lost its workers stops
 * touching it, and the check (isHeartbeatFresh) fails once it is older than HEARTBEAT_MAX_AGE_MS.
 */
export function startHeartbeat(
  file: string,
  isRunning: () => boolean,
  everyMs = HEARTBEAT_EVERY_MS,
): { stop: () => Promise<void> } {
  const beat = () => (isRunning() ? writeFile(file, new Date().toISOString()).catch(() => {}) : undefined);
  void beat();
  const timer = setInterval(beat, everyMs);
  timer.unref();
  return {
    stop: async () => {
      clearInterval(timer);
      await rm(file, { force: true });
    },
  };
}

/** Whether the heartbeat file was touched within `maxAgeMs` (a missing file is not fresh). */
export function isHeartbeatFresh(file: string, maxAgeMs = HEARTBEAT_MAX_AGE_MS, now = Date.now()): boolean {
  try {
    return now - statSync(file).mtimeMs <= maxAgeMs;
  } catch {
    return false;
  }
}

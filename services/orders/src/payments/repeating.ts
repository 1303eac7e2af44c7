import type { Logger } from '@quickcart/kit';

export interface Repeating {
  /** No more runs; resolves once a run in progress has finished. */
  stop: () => Promise<void>;
}

/**
 * Runs `task` at once and then every `intervalMs`, never two at a time (a slow run delays the next). A
 * failed run is logged and the next tries again: what it works on waits in the database meanwhile.
 */
export function repeat(
  name: string,
  intervalMs: number,
  task: () => Promise<unknown>,
  logger: Logger,
): Repeating {
  let running: Promise<void> | undefined;
  let stopped = false;
  const run = () => {
    if (running || stopped) return;
    running = task()
      .then(
        () => undefined,
        (error: Error) => void logger.warn(`${name} failed; will retry`, { error }),
      )
      .finally(() => (running = undefined));
  };
  const timer = setInterval(run, intervalMs);
  timer.unref();
  run();
  return {
    stop: async () => {
      stopped = true;
      clearInterval(timer);
      await running;
    },
  };
}

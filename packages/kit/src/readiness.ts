import type { Express, RequestHandler } from 'express';
import { Gauge, type Registry } from 'prom-client';
import type { Logger } from './logger';

/**
 * What a process needs to do its work, each a check that resolves when the dependency answers (its
 * database, Redis, Temporal, the gateway's polling). `/health` only says the process is alive; `/ready`
 * says whether it can work now (docs/operations.md §17).
 */
export type ReadinessChecks = Record<string, () => Promise<unknown>>;

/** One check may take this long; a dependency that hangs is down. */
export const READINESS_TIMEOUT_MS = 2_000;

export type ReadinessAnswer = { ready: boolean; checks: Record<string, 'up' | 'down'> };

/**
 * Runs every check at once, each bounded. A check's failure is logged once when it goes down (with its
 * reason) and once when it comes back; the answer itself names only up or down, never an error text.
 */
export function readiness(checks: ReadinessChecks, logger: Logger) {
  const down = new Set<string>();
  const run = async (): Promise<ReadinessAnswer> => {
    const results = await Promise.all(
      Object.entries(checks).map(async ([name, check]) => {
        let timer: NodeJS.Timeout | undefined;
        const timeout = new Promise<never>((_, reject) => {
          timer = setTimeout(
            () => reject(new Error(`no answer within ${READINESS_TIMEOUT_MS} ms`)),
            READINESS_TIMEOUT_MS,
          );
        });
        try {
          await Promise.race([check(), timeout]);
          if (down.delete(name)) logger.info('dependency ready again', { dependency: name });
          return [name, 'up'] as const;
        } catch (error) {
          if (!down.has(name)) {
            down.add(name);
            logger.warn('dependency not ready', { dependency: name, reason: (error as Error).message });
          }
          return [name, 'down'] as const;
        } finally {
          clearTimeout(timer);
        }
      }),
    );
    const states = Object.fromEntries(results);
    return { ready: results.every(([, s]) => s === 'up'), checks: states };
  };
  return { run };
}

/**
 * GET /ready, for the callers `check` allows (the scraper): 200 when every check passes, 503 naming the
 * ones down. With a registry, the same checks
 * are run on every scrape as `quickcart_dependency_up{dependency}` (1 up, 0 down), for alerts.
 */
export function mountReadiness(
  app: Express,
  checks: ReadinessChecks,
  check: RequestHandler,
  logger: Logger,
  registry?: Registry,
) {
  const { run } = readiness(checks, logger);
  app.get('/ready', check, (_req, res, next) => {
    run()
      .then((answer) => res.status(answer.ready ? 200 : 503).json(answer))
      .catch(next);
  });
  if (registry) {
    new Gauge({
      name: 'quickcart_dependency_up',
      help: 'Whether a dependency of this process answered its readiness check at scrape time (1) or not (0)',
      labelNames: ['dependency'],
      registers: [registry],
      async collect() {
        const { checks: states } = await run();
        for (const [dependency, state] of Object.entries(states))
          this.set({ dependency }, state === 'up' ? 1 : 0);
      },
    });
  }
}

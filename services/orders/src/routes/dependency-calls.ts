import { allow, Forbidden, parse, route, type Caller } from '@quickcart/kit';
import { Router } from 'express';
import * as c from '../contract';
import type { DependencyCalls } from '../operations/dependency-calls';

/**
 * POST /dependency-calls: a caller's tally of its calls to Pakasir (the worker) or Telegram (the gateway)
 * since its last report, for the owner's "keeps refusing" alerts (docs/operations.md §16). A caller
 * reports only its own dependency: the gateway cannot make Pakasir look down, nor the worker Telegram.
 */
export function dependencyCallRoutes(calls: DependencyCalls): Router {
  const r = Router();
  r.post(
    '/dependency-calls',
    allow('gateway', 'worker'),
    route(async (req, res) => {
      const { dependency, results } = parse(c.dependencyCallsBody, req.body);
      const caller = res.locals.caller as Extract<Caller, keyof typeof c.DEPENDENCY_OF_CALLER>;
      if (c.DEPENDENCY_OF_CALLER[caller] !== dependency)
        throw new Forbidden(
          `${caller} reports its own calls (${c.DEPENDENCY_OF_CALLER[caller]}), not ${dependency}'s`,
          'caller',
        );
      await calls.record(dependency, results);
      res.json({ recorded: true });
    }),
  );
  return r;
}

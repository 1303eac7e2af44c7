import type { Express } from 'express';
import { isCallerCheck, type Caller } from './internal-auth';

export interface RegisteredRoute {
  method: string;
  path: string;
  /** The callers its `allow(…)` names; undefined on a route without one (a public listener's). */
  callers?: readonly Caller[];
}

interface Layer {
  route?: { path: string | RegExp; methods: Record<string, boolean>; stack?: Layer[] };
  name?: string;
  handle?: { stack?: Layer[] } | ((...args: unknown[]) => unknown);
}

/**
 * Every route an express 4 app has registered, routers included (their stacks are walked), with the
 * callers each allows. The security test calls each one with every caller's token, so a route added
 * later cannot forget the check.
 */
export function listRoutes(app: Express): RegisteredRoute[] {
  const stack = (app as unknown as { _router?: { stack: Layer[] } })._router?.stack ?? [];
  return walk(stack);
}

function walk(stack: Layer[]): RegisteredRoute[] {
  return stack.flatMap((layer): RegisteredRoute[] => {
    if (layer.route) {
      const path = String(layer.route.path);
      const check = (layer.route.stack ?? []).map((l): unknown => l.handle).find(isCallerCheck);
      return Object.keys(layer.route.methods).map((method) => ({
        method: method.toUpperCase(),
        path,
        ...(check && { callers: check.callers }),
      }));
    }
    const inner = layer.handle as { stack?: Layer[] } | undefined;
    if (layer.name === 'router' && inner?.stack) return walk(inner.stack);
    return [];
  });
}

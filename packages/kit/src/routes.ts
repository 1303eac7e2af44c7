import type { Express } from 'express';

export interface RegisteredRoute {
  method: string;
  path: string;
}

interface Layer {
  route?: { path: string | RegExp; methods: Record<string, boolean> };
  name?: string;
  handle?: { stack?: Layer[] };
}

/**
 * Every route an express 4 app has registered, routers included (their stacks are walked). The
 * security test calls each one without the token, so a route added later cannot forget it.
 */
export function listRoutes(app: Express): RegisteredRoute[] {
  const stack = (app as unknown as { _router?: { stack: Layer[] } })._router?.stack ?? [];
  return walk(stack);
}

function walk(stack: Layer[]): RegisteredRoute[] {
  return stack.flatMap((layer): RegisteredRoute[] => {
    if (layer.route) {
      const path = String(layer.route.path);
      return Object.keys(layer.route.methods).map((method) => ({ method: method.toUpperCase(), path }));
    }
    if (layer.name === 'router' && layer.handle?.stack) return walk(layer.handle.stack);
    return [];
  });
}

import {
  CALLERS,
  createLogger,
  createMetricsRegistry,
  generateServiceTokens,
  internalAuthHeader,
  SERVICE_TOKEN_VARIABLES,
  serviceTokenEnv,
  tokenDigest,
  type Listening,
  type RegisteredRoute,
} from '@quickcart/kit';
import { serveWorkerListener } from '@quickcart/workflows/worker/listener';
import { readFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { freePort, startBotSystem, type BotSystem } from './bot-system';

/**
 * docs/security.md: two kinds of listener, never mixed. Every internal route wants the service token;
 * a public listener serves only what the outside must reach.
 */
let sys: BotSystem;
/** The worker's internal listener as its main serves it (/health, /ready, /metrics), with this run's tokens. */
let worker: Listening;
const secret = 'security-webhook-secret-0123';

beforeAll(async () => {
  const port = await freePort();
  sys = await startBotSystem(
    { paymentTimeout: '10m', pollInterval: '60s' },
    {
      TELEGRAM_WEBHOOK_PORT: String(port),
      TELEGRAM_WEBHOOK_URL: `http://127.0.0.1:${port}`,
      TELEGRAM_WEBHOOK_SECRET: secret,
    },
    { worker: false },
  );
  worker = await serveWorkerListener({
    config: {
      WORKER_PORT: 0,
      BIND_HOST: '127.0.0.1',
      METRICS_API_TOKEN_SHA256: tokenDigest(sys.stack.tokens.metrics),
    },
    logger: createLogger('worker', 'silent'),
    registry: createMetricsRegistry(),
    // No Temporal SDK exporter here: the worker's own metrics are served without its part.
    sdkMetricsUrl: 'http://127.0.0.1:9/metrics',
    ready: { temporal: async () => undefined },
  });
});
afterAll(async () => {
  await worker?.close();
  await sys?.close();
});

/**
 * docs/security.md's table of who may call what: `| service | `METHOD path` | callers |` rows, by
 * "service METHOD path", callers sorted.
 */
function documentedCallers(): Record<string, string[]> {
  const doc = readFileSync(path.resolve(__dirname, '../../../docs/security.md'), 'utf8');
  const rows = [
    ...doc.matchAll(
      /^\|\s*(catalog|orders|gateway|worker)\s*\|\s*`([A-Z]+) ([^`]+)`\s*\|\s*([a-z, ]+?)\s*\|/gm,
    ),
  ];
  return Object.fromEntries(
    rows.map(([, service, method, route, callers]) => [
      `${service} ${method} ${route}`,
      callers
        .split(',')
        .map((c) => c.trim())
        .sort(),
    ]),
  );
}

/** A route's path with every parameter filled in: enough to reach the route, never a real object. */
const concrete = (route: RegisteredRoute) => route.path.replace(/:[A-Za-z]+/g, '1');

async function call(base: string, route: RegisteredRoute, headers: Record<string, string>) {
  const res = await fetch(base + concrete(route), {
    method: route.method,
    headers: { 'content-type': 'application/json', ...headers },
    body: route.method === 'GET' || route.method === 'HEAD' ? undefined : '{}',
  });
  return { status: res.status, body: (await res.text()).slice(0, 200) };
}

describe('every internal route wants a caller’s token, and serves only the callers it names', () => {
  const services = () => [
    { name: 'catalog', url: sys.stack.catalogUrl, routes: sys.stack.routes.catalog.internal },
    { name: 'orders', url: sys.stack.ordersUrl, routes: sys.stack.routes.orders.internal },
    { name: 'gateway', url: sys.gatewayUrl, routes: sys.gatewayRoutes.internal },
    { name: 'worker', url: `http://127.0.0.1:${worker.port}`, routes: worker.routes },
  ];
  const key = (service: string, r: { method: string; path: string }) => `${service} ${r.method} ${r.path}`;

  it('finds the routes it checks (a service with none would make the tests below pass vacuously)', () => {
    const counts = Object.fromEntries(services().map((s) => [s.name, s.routes.length]));
    expect(counts.catalog).toBeGreaterThan(20);
    expect(counts.orders).toBeGreaterThan(30);
    expect(sys.gatewayRoutes.internal.map((r) => `${r.method} ${r.path}`)).toContain('POST /notify');
    for (const s of services())
      expect([s.name, s.routes.map((r) => `${r.method} ${r.path}`)]).toEqual([
        s.name,
        expect.arrayContaining(['GET /metrics', 'GET /ready']),
      ]);
  });

  it('names the same callers for every route as the table in docs/security.md, no route left out', () => {
    const declared = Object.fromEntries(
      services().flatMap((s) =>
        s.routes
          .filter((r) => r.path !== '/health')
          .map((r) => [key(s.name, r), [...(r.callers ?? [])].sort()]),
      ),
    );
    expect(declared).toEqual(documentedCallers());
  });

  it('keeps the internet-facing gateway and the worker to what each needs', () => {
    const callers = documentedCallers();
    // The gateway posts no ledger entry of its own choosing: /transfer has its own, admin-only route.
    expect(callers['orders POST /ledger/entries']).toEqual(['worker']);
    expect(callers['orders POST /users/:id/transfer']).toEqual(['gateway']);
    // Roles, vouchers and balances: the gateway only (for an admin's command), never the worker.
    for (const route of ['POST /users/:id/role', 'POST /vouchers', 'POST /users/:id/balance'])
      expect([route, callers[`orders ${route}`]]).toEqual([route, ['gateway']]);
    // The goods and the status of an order move with the worker only.
    expect(callers['catalog POST /reservations/:invoiceId/commit']).toEqual(['worker']);
    expect(callers['orders POST /orders/:invoiceId/transition']).toEqual(['worker']);
    // A warranty claim's outcome (a refund credited, items recorded) is the claim's workflow's only.
    expect(callers['orders POST /warranty-claims/:claimId/resolve']).toEqual(['worker']);
    // Orders sends its own notices (anti-fraud flags, the owner's alerts).
    expect(callers['gateway POST /notify']).toEqual(['orders', 'worker']);
    // Prometheus' token reads /metrics and /ready of every process, and nothing else; no service's
    // token reads them.
    const scraped = Object.entries(callers).filter(([, c]) => c.includes('metrics'));
    expect(scraped.map(([route]) => route).sort()).toEqual(
      ['catalog', 'gateway', 'orders', 'worker'].flatMap((p) => [`${p} GET /metrics`, `${p} GET /ready`]),
    );
    for (const [route, c] of scraped) expect([route, c]).toEqual([route, ['metrics']]);
  });

  it('answers 401 without a token, with a wrong one or one it does not know, 403 to a caller it does not serve', async () => {
    const asCaller = Object.fromEntries(
      CALLERS.map((caller) => [caller, internalAuthHeader(sys.stack.tokens[caller])]),
    );
    const wrong = internalAuthHeader('x'.repeat(64));
    const failures: string[] = [];
    for (const s of services()) {
      for (const route of s.routes) {
        const what = key(s.name, route);
        if (route.path === '/health') {
          const open = await call(s.url, route, {});
          if (open.status !== 200) failures.push(`${what}: health answered ${open.status}`);
          continue;
        }
        const none = await call(s.url, route, {});
        if (none.status !== 401) failures.push(`${what} without a token: ${none.status} ${none.body}`);
        const bad = await call(s.url, route, wrong);
        if (bad.status !== 401) failures.push(`${what} with a wrong token: ${bad.status}`);
        for (const caller of CALLERS) {
          const res = await call(s.url, route, asCaller[caller]);
          const refusedAsCaller = res.status === 403 && res.body.includes('"reason":"caller"');
          const allowed = route.callers?.includes(caller) ?? false;
          // A service holds the digests of its own callers only: any other token is unknown there.
          const known = s.routes.some((r) => r.callers?.includes(caller));
          if (known ? res.status === 401 : res.status !== 401)
            failures.push(`${what} with the ${caller}'s token: ${res.status} ${res.body}`);
          else if (allowed && refusedAsCaller)
            failures.push(`${what} refused the ${caller}, which it serves`);
          else if (known && !allowed && !refusedAsCaller)
            failures.push(`${what} let the ${caller} through: ${res.status} ${res.body}`);
        }
      }
    }
    expect(failures).toEqual([]);
  });

  it('refuses a request for a route that does not exist with 401 too, and the body is never read', async () => {
    const res = await fetch(`${sys.stack.ordersUrl}/ledger/entries`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{ not json',
    });
    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({ error: 'unauthorized', reason: 'missing_token' });
    expect((await fetch(`${sys.stack.catalogUrl}/no-such-route`)).status).toBe(401);
  });
});

describe('public listeners serve only what the outside must reach', () => {
  const inside = [
    ['POST', '/ledger/entries'],
    ['POST', '/users/1/role'],
    ['POST', '/notify'],
    ['GET', '/products/1/stock/export'],
    ['POST', '/checkout'],
  ];

  it('orders’ webhook listener: the Pakasir webhook and /health, nothing else, token or not', async () => {
    expect(sys.stack.routes.orders.public.map((r) => `${r.method} ${r.path}`).sort()).toEqual([
      'GET /health',
      'POST /webhooks/pakasir/:token',
    ]);
    for (const [method, route] of inside) {
      for (const headers of [{}, ...CALLERS.map((c) => internalAuthHeader(sys.stack.tokens[c]))]) {
        const res = await fetch(sys.stack.webhookUrl + route, {
          method,
          headers: { 'content-type': 'application/json', ...headers },
          body: method === 'GET' ? undefined : JSON.stringify({ userId: 1, delta: 5_000_000, role: 'admin' }),
        });
        expect([method, route, res.status]).toEqual([method, route, 404]);
      }
    }
    const health = await fetch(`${sys.stack.webhookUrl}/health`);
    expect({ status: health.status, body: await health.json() }).toEqual({ status: 200, body: { ok: true } });
  });

  it('the gateway’s webhook listener: the Telegram webhook and /health, nothing else', async () => {
    for (const [method, route] of inside) {
      const res = await fetch(sys.gatewayWebhookUrl + route, {
        method,
        headers: { 'content-type': 'application/json', ...internalAuthHeader(sys.stack.tokens.worker) },
        body: method === 'GET' ? undefined : JSON.stringify({ chatId: 1 }),
      });
      expect([method, route, res.status]).toEqual([method, route, 404]);
    }
    const health = await fetch(`${sys.gatewayWebhookUrl}/health`);
    expect({ status: health.status, body: await health.json() }).toEqual({ status: 200, body: { ok: true } });
  });

  it('the gateway’s webhook listener reads no body off its one route: 3 MB of garbage elsewhere is 404', async () => {
    for (const route of ['/telegram/webhook/', '/TELEGRAM/WEBHOOK', '/telegram', '/notify']) {
      const res = await fetch(sys.gatewayWebhookUrl + route, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': secret },
        body: '{' + 'x'.repeat(3 * 1024 * 1024),
      });
      expect([route, res.status]).toEqual([route, 404]);
    }
  });

  it('catalog has no public listener at all', () => {
    expect(sys.stack.routes.catalog.public).toEqual([]);
  });
});

describe('config refuses to be unsafe', () => {
  const root = path.resolve(__dirname, '../../..');
  /** Runs a built service's main with only `env` and returns its exit code and output. */
  const run = (script: string, env: Record<string, string>) => {
    const r = spawnSync(process.execPath, [path.join(root, script)], {
      env: { PATH: process.env.PATH ?? '', LOG_LEVEL: 'info', ...env },
      encoding: 'utf8',
      timeout: 30_000,
    });
    return { status: r.status, output: r.stdout + r.stderr };
  };
  const gatewayEnv = {
    TELEGRAM_BOT_TOKEN: '123:real-looking-token',
    GATEWAY_API_TOKEN: 'a'.repeat(40),
    WORKER_API_TOKEN_SHA256: 'b'.repeat(64),
    ORDERS_API_TOKEN_SHA256: 'c'.repeat(64),
    METRICS_API_TOKEN_SHA256: 'd'.repeat(64),
    // Nothing listens here: a process that got past its config would fail later, for another reason.
    TELEGRAM_API_ROOT: 'http://127.0.0.1:9',
  };

  it('webhook mode without TELEGRAM_WEBHOOK_SECRET stops the gateway, naming the variable', () => {
    const r = run('services/gateway/dist/main.js', {
      ...gatewayEnv,
      TELEGRAM_WEBHOOK_URL: 'https://shop.example.com',
    });
    expect(r.status).not.toBe(0);
    expect(r.output).toContain('TELEGRAM_WEBHOOK_SECRET');
  });

  it('a missing or malformed token or digest stops the service that reads it, naming the variable', () => {
    const scripts = {
      catalog: 'services/catalog/dist/main.js',
      orders: 'services/orders/dist/main.js',
      gateway: 'services/gateway/dist/main.js',
      worker: 'workflows/dist/worker/main.js',
    } as const;
    const valid = serviceTokenEnv(generateServiceTokens());
    const {
      GATEWAY_API_TOKEN: _t,
      WORKER_API_TOKEN_SHA256: _d,
      ORDERS_API_TOKEN_SHA256: _o,
      METRICS_API_TOKEN_SHA256: _m,
      ...rest
    } = gatewayEnv;
    const others = {
      ...rest,
      ADMIN_IDS: '1',
      PAKASIR_PROJECT: 'p',
      PAKASIR_API_KEY: 'k',
      PAKASIR_WEBHOOK_SECRET: 'webhook-secret-0123456789',
    };
    let checked = 0;
    for (const [service, script] of Object.entries(scripts)) {
      for (const variable of SERVICE_TOKEN_VARIABLES[service as keyof typeof scripts]) {
        // A token of 20 characters; a digest that is not 64 hex digits.
        const bad = variable.endsWith('_SHA256') ? 'not-a-digest' : 'too-short-0123456789';
        for (const value of [undefined, bad]) {
          const { [variable]: _unset, ...env } = valid;
          const r = run(script, { ...others, ...env, ...(value && { [variable]: value }) });
          expect([script, variable, value, r.status]).toEqual([script, variable, value, 1]);
          expect(r.output).toContain(variable);
          checked++;
        }
      }
    }
    expect(checked).toBe(2 * 14);
  });
});

import { internalAuthHeader, type RegisteredRoute } from '@quickcart/kit';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { freePort, startBotSystem, type BotSystem } from './bot-system';

/**
 * docs/security.md: two kinds of listener, never mixed. Every internal route wants the service token;
 * a public listener serves only what the outside must reach.
 */
let sys: BotSystem;
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
});
afterAll(() => sys?.close());

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

describe('every internal route wants the token', () => {
  const services = () => [
    { name: 'catalog', url: sys.stack.catalogUrl, routes: sys.stack.routes.catalog.internal },
    { name: 'orders', url: sys.stack.ordersUrl, routes: sys.stack.routes.orders.internal },
    { name: 'gateway', url: sys.gatewayUrl, routes: sys.gatewayRoutes.internal },
  ];

  it('finds the routes it checks (a service with none would make the test below pass vacuously)', () => {
    const counts = Object.fromEntries(services().map((s) => [s.name, s.routes.length]));
    expect(counts.catalog).toBeGreaterThan(20);
    expect(counts.orders).toBeGreaterThan(30);
    expect(sys.gatewayRoutes.internal.map((r) => `${r.method} ${r.path}`)).toContain('POST /notify');
  });

  it('answers 401 without it and with a wrong one, and lets the right one through', async () => {
    const wrong = internalAuthHeader('x'.repeat(64));
    const failures: string[] = [];
    for (const s of services()) {
      for (const route of s.routes) {
        const what = `${s.name} ${route.method} ${route.path}`;
        if (route.path === '/health') {
          const open = await call(s.url, route, {});
          if (open.status !== 200) failures.push(`${what}: health answered ${open.status}`);
          continue;
        }
        const none = await call(s.url, route, {});
        if (none.status !== 401) failures.push(`${what} without a token: ${none.status} ${none.body}`);
        const bad = await call(s.url, route, wrong);
        if (bad.status !== 401) failures.push(`${what} with a wrong token: ${bad.status}`);
        const good = await call(s.url, route, internalAuthHeader(sys.stack.token));
        if (good.status === 401) failures.push(`${what} refused the right token`);
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
      for (const headers of [{}, internalAuthHeader(sys.stack.token)]) {
        const res = await fetch(sys.stack.webhookUrl + route, {
          method,
          headers: { 'content-type': 'application/json', ...headers },
          body: method === 'GET' ? undefined : JSON.stringify({ userId: 1, delta: 5_000_000, role: 'admin' }),
        });
        expect([method, route, res.status]).toEqual([method, route, 404]);
      }
    }
    expect((await fetch(`${sys.stack.webhookUrl}/health`)).status).toBe(200);
  });

  it('the gateway’s webhook listener: the Telegram webhook and /health, nothing else', async () => {
    for (const [method, route] of inside) {
      const res = await fetch(sys.gatewayWebhookUrl + route, {
        method,
        headers: { 'content-type': 'application/json', ...internalAuthHeader(sys.stack.token) },
        body: method === 'GET' ? undefined : JSON.stringify({ chatId: 1 }),
      });
      expect([method, route, res.status]).toEqual([method, route, 404]);
    }
    expect((await fetch(`${sys.gatewayWebhookUrl}/health`)).status).toBe(200);
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
    INTERNAL_API_TOKEN: 'a'.repeat(40),
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

  it('a missing or short INTERNAL_API_TOKEN stops every service, naming the variable', () => {
    for (const script of [
      'services/catalog/dist/main.js',
      'services/orders/dist/main.js',
      'services/gateway/dist/main.js',
      'workflows/dist/worker/main.js',
    ]) {
      for (const token of [undefined, 'too-short-0123456789']) {
        const { INTERNAL_API_TOKEN: _unset, ...rest } = gatewayEnv;
        const r = run(script, {
          ...rest,
          ...(token && { INTERNAL_API_TOKEN: token }),
          ADMIN_IDS: '1',
          PAKASIR_PROJECT: 'p',
          PAKASIR_API_KEY: 'k',
          PAKASIR_WEBHOOK_SECRET: 'webhook-secret-0123456789',
        });
        expect([script, token, r.status]).toEqual([script, token, 1]);
        expect(r.output).toContain('INTERNAL_API_TOKEN');
      }
    }
  });
});

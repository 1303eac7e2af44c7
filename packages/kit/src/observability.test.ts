import { z } from 'zod';
import { currentCorrelationId, withCorrelation } from './correlation';
import { createApp, route, serve, type Listening } from './http';
import { HttpClient } from './http-client';
import { allow, internalAuthHeader, tokenDigest } from './internal-auth';
import { createLogger } from './logger';
import { createMetricsRegistry } from './metrics';

/** The gateway's token (a service calling a route) and Prometheus' (reading /metrics and /ready). */
const TOKEN = 'k'.repeat(40);
const SCRAPER_TOKEN = 'm'.repeat(40);
const logger = createLogger('kit-test', 'silent');
let internal: Listening;
let open: Listening;
let databaseUp = true;

beforeAll(async () => {
  const registry = createMetricsRegistry();
  const inside = createApp({
    logger,
    health: async () => ({}),
    access: { callers: { gateway: tokenDigest(TOKEN), metrics: tokenDigest(SCRAPER_TOKEN) } },
    metrics: { registry },
    ready: {
      database: async () => {
        if (!databaseUp) throw new Error('connection refused');
      },
    },
  });
  inside.app.get(
    '/orders/:invoiceId',
    allow('gateway'),
    route(async (_req, res) => res.json({ correlationId: currentCorrelationId() })),
  );
  internal = await serve(inside.finish(), { port: 0, host: '127.0.0.1' }, logger);
  const outside = createApp({ logger, access: 'public' });
  outside.app.get(
    '/hook',
    route(async (_req, res) => res.json({ correlationId: currentCorrelationId() })),
  );
  open = await serve(outside.finish(), { port: 0, host: '127.0.0.1' }, logger);
});
afterAll(async () => {
  await internal?.close();
  await open?.close();
});

const url = (l: Listening, path: string) => `http://127.0.0.1:${l.port}${path}`;
const get = (l: Listening, path: string, headers: Record<string, string> = {}) =>
  fetch(url(l, path), { headers: { ...internalAuthHeader(TOKEN), ...headers } });
const scrape = (path: string) => fetch(url(internal, path), { headers: internalAuthHeader(SCRAPER_TOKEN) });

describe('one correlation id per piece of work', () => {
  it('an internal listener takes the caller’s id, and our client sends the current one', async () => {
    const res = await get(internal, '/orders/INV1', { 'x-correlation-id': 'tg-42' });
    expect(await res.json()).toEqual({ correlationId: 'tg-42' });
    expect(res.headers.get('x-correlation-id')).toBe('tg-42');
    const client = new HttpClient({ baseUrl: url(internal, ''), token: TOKEN });
    const answer = await withCorrelation('purchase-7', () =>
      client.request('GET', '/orders/INV2', z.object({ correlationId: z.string() })),
    );
    expect(answer).toEqual({ correlationId: 'purchase-7' });
  });

  it('a request without a valid id gets a new one; a public listener never takes one from outside', async () => {
    const res = await get(internal, '/orders/INV3', { 'x-correlation-id': 'a"b;c' });
    const forged = (await res.json()) as { correlationId: string };
    expect(forged.correlationId).toMatch(/^[0-9a-f-]{36}$/);
    const hook = await fetch(url(open, '/hook'), { headers: { 'x-correlation-id': 'tg-42' } });
    const outside = (await hook.json()) as { correlationId: string };
    expect(outside.correlationId).toMatch(/^[0-9a-f-]{36}$/);
  });
});

describe('/metrics and /ready on an internal listener', () => {
  it('serve the scraper’s token only: no token 401, a service’s token 403', async () => {
    expect((await fetch(url(internal, '/metrics'))).status).toBe(401);
    expect((await fetch(url(internal, '/ready'))).status).toBe(401);
    expect((await get(internal, '/metrics')).status).toBe(403);
    expect((await get(internal, '/ready')).status).toBe(403);
    expect((await scrape('/metrics')).status).toBe(200);
    expect((await scrape('/ready')).status).toBe(200);
    // …and the scraper's token serves nothing else.
    expect((await scrape('/orders/INV1')).status).toBe(403);
    expect((await fetch(url(internal, '/health'))).status).toBe(200);
  });

  it('are never served on a public listener', () => {
    expect(() =>
      createApp({ logger, access: 'public', metrics: { registry: createMetricsRegistry() } }),
    ).toThrow(/public listener/);
  });

  it('counts requests by route pattern, never by the path with its ids', async () => {
    await get(internal, '/orders/INV9');
    const text = await (await scrape('/metrics')).text();
    expect(text).toMatch(/quickcart_http_requests_total\{[^}]*route="\/orders\/:invoiceId"[^}]*\} \d+/);
    expect(text).not.toContain('INV9');
    expect(text).toContain('process_cpu_user_seconds_total');
  });

  it('answers 503 naming what is down, and 200 once it is back', async () => {
    databaseUp = false;
    const down = await scrape('/ready');
    expect(down.status).toBe(503);
    expect(await down.json()).toEqual({ ready: false, checks: { database: 'down' } });
    expect(await (await scrape('/metrics')).text()).toContain(
      'quickcart_dependency_up{dependency="database"} 0',
    );
    databaseUp = true;
    const up = await scrape('/ready');
    expect(up.status).toBe(200);
    expect(await up.json()).toEqual({ ready: true, checks: { database: 'up' } });
  });
});

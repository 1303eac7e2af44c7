import { Router } from 'express';
import { createApp, secretPathRedactor, serve } from './http';
import { allow, internalAuthHeader, tokenDigest } from './internal-auth';
import { createLogger } from './logger';

const logger = createLogger('http-test', 'silent');

describe('createApp', () => {
  it('refuses to finish an internal app with a route that names no callers', () => {
    const { app, finish } = createApp({
      logger,
      access: { callers: { worker: tokenDigest('w'.repeat(40)) } },
    });
    app.use(Router().post('/forgotten', (_req, res) => void res.json({})));
    expect(() => finish()).toThrow('internal routes without allow(…callers): POST /forgotten');
  });

  it('answers a public /health with a constant and never runs the health check', async () => {
    let asked = 0;
    const { finish } = createApp({
      logger,
      access: 'public',
      health: async () => {
        asked++;
        throw new Error('connect ECONNREFUSED 10.0.0.5:5432');
      },
    });
    const server = await serve(finish(), { port: 0, host: '127.0.0.1' }, logger);
    try {
      const res = await fetch(`http://127.0.0.1:${server.port}/health`);
      expect({ status: res.status, body: await res.json(), asked }).toEqual({
        status: 200,
        body: { ok: true },
        asked: 0,
      });
    } finally {
      await server.close();
    }
  });

  it('tells a known caller it may not call a route (403) from an unknown token (401)', async () => {
    const tokens = { gateway: 'g'.repeat(40), worker: 'w'.repeat(40) };
    const { app, finish } = createApp({
      logger,
      access: { callers: { gateway: tokenDigest(tokens.gateway), worker: tokenDigest(tokens.worker) } },
    });
    app.post('/ledger/entries', allow('worker'), (_req, res) => void res.json({ posted: true }));
    const server = await serve(finish(), { port: 0, host: '127.0.0.1' }, logger);
    const post = async (headers: Record<string, string>) => {
      const res = await fetch(`http://127.0.0.1:${server.port}/ledger/entries`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: '{}',
      });
      return [res.status, ((await res.json()) as { error?: string }).error];
    };
    try {
      expect(await post(internalAuthHeader(tokens.worker))).toEqual([200, undefined]);
      // No ETag: nobody asks If-None-Match, and hashing every answer cost CPU.
      const answered = await fetch(`http://127.0.0.1:${server.port}/ledger/entries`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...internalAuthHeader(tokens.worker) },
        body: '{}',
      });
      expect(answered.headers.get('etag')).toBeNull();
      expect(await post(internalAuthHeader(tokens.gateway))).toEqual([403, 'forbidden']);
      expect(await post(internalAuthHeader('x'.repeat(40)))).toEqual([401, 'unauthorized']);
      expect(await post({})).toEqual([401, 'unauthorized']);
      expect(server.routes).toContainEqual({ method: 'POST', path: '/ledger/entries', callers: ['worker'] });
    } finally {
      await server.close();
    }
  });
});

describe('secretPathRedactor', () => {
  const logged = secretPathRedactor(['/webhooks/pakasir/']);

  it('stars out what follows the prefix however the prefix is spelled', () => {
    for (const path of [
      '/webhooks/pakasir/s3cret',
      '/WEBHOOKS/PAKASIR/s3cret',
      '//webhooks//pakasir/s3cret',
      '/webhooks%2Fpakasir/s3cret',
      '/webhooks/pakasir/s3cret/',
    ])
      expect([path, logged(path)]).toEqual([path, '/webhooks/pakasir/***']);
  });

  it('leaves other paths as they are', () => {
    expect(logged('/health')).toBe('/health');
    expect(logged('/ledger/entries')).toBe('/ledger/entries');
  });
});

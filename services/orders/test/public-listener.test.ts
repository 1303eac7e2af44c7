import { Client as PgClient } from 'pg';
import winston from 'winston';
import { startTestStack, WEBHOOK_SECRET, type TestStack } from './stack';

/**
 * docs/security.md, public listeners do no work for strangers: orders' Pakasir webhook listener reads no
 * body before the secret path matched, logs no spelling of that path with the secret in it, and answers
 * /health without asking the database anything.
 */
let s: TestStack;
beforeAll(async () => {
  s = await startTestStack({ orders: { LOG_LEVEL: 'info' } });
});
afterAll(() => s?.close());

/** 3 MB that is not JSON: parsed, it would be refused 413 (over 2 MB) or 400 (malformed). */
const hugeGarbage = '{' + 'x'.repeat(3 * 1024 * 1024);

const post = async (path: string, body: string) => {
  const res = await fetch(s.webhookUrl + path, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body,
  });
  return {
    status: res.status,
    body: (await res.json().catch(() => undefined)) as { error?: string } | undefined,
  };
};

/** Every line orders logs while `work` runs (winston's console transport sees each, formatted). */
async function logLines(work: () => Promise<void>): Promise<string[]> {
  const spy = jest.spyOn(winston.transports.Console.prototype, 'log');
  try {
    await work();
    return spy.mock.calls.map(([info]) => String((info as Record<symbol, unknown>)[Symbol.for('message')]));
  } finally {
    spy.mockRestore();
  }
}

describe('orders’ public listener', () => {
  it('answers 404 to a wrong secret path or an unknown path without reading the body', async () => {
    for (const path of [
      '/webhooks/pakasir/not-the-secret-0123456789',
      '/webhooks/pakasir/',
      `/webhooks/pakasir/${WEBHOOK_SECRET}x`,
      '/ledger/entries',
      '/no-such-route',
    ]) {
      const res = await post(path, hugeGarbage);
      expect([path, res.status, res.body?.error]).toEqual([path, 404, 'not_found']);
    }
  });

  it('still reads the body on the right path: malformed JSON there is 400', async () => {
    expect((await post(`/webhooks/pakasir/${WEBHOOK_SECRET}`, '{ not json')).status).toBe(400);
  });

  it('writes the secret in no log line, however the webhook path is spelled', async () => {
    const spellings = [
      `/webhooks/pakasir/${WEBHOOK_SECRET}`,
      `/WEBHOOKS/PAKASIR/${WEBHOOK_SECRET}`,
      `/Webhooks/Pakasir/${WEBHOOK_SECRET}`,
      `/webhooks/pakasir/${WEBHOOK_SECRET}/`,
      `//webhooks/pakasir/${WEBHOOK_SECRET}`,
      `/webhooks%2Fpakasir/${WEBHOOK_SECRET}`,
      `/webhooks/pakasir/${WEBHOOK_SECRET.toUpperCase()}`,
    ];
    const lines = await logLines(async () => {
      for (const path of spellings) {
        // A malformed body and a made-up payment: each is refused, and each refusal is logged.
        await post(path, '{ not json');
        await post(path, JSON.stringify({ order_id: 'nope', amount: 1, project: 'x', status: 'completed' }));
      }
    });
    expect(lines.filter((l) => l.includes('request refused')).length).toBeGreaterThanOrEqual(
      spellings.length,
    );
    const secret = WEBHOOK_SECRET.toLowerCase();
    expect(lines.filter((l) => l.toLowerCase().includes(secret))).toEqual([]);
  });

  it('answers /health with a constant while the database refuses every connection', async () => {
    const [{ db, pid }] = await s.sql<{ db: string; pid: number }>(
      'SELECT current_database() AS db, pg_backend_pid() AS pid',
    );
    const admin = new PgClient({
      connectionString: process.env.PG_TEST_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres',
    });
    await admin.connect();
    try {
      await admin.query(`ALTER DATABASE "${db}" ALLOW_CONNECTIONS false`);
      await admin.query(
        'SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> $2',
        [db, pid],
      );
      // The internal listener sees it (503, for operators); the public one says only that it is up.
      const internal = await fetch(`${s.ordersUrl}/health`);
      expect(internal.status).toBe(503);
      const res = await fetch(`${s.webhookUrl}/health`);
      expect({ status: res.status, body: await res.json() }).toEqual({ status: 200, body: { ok: true } });
    } finally {
      await admin.query(`ALTER DATABASE "${db}" ALLOW_CONNECTIONS true`);
      await admin.end();
    }
  });
});

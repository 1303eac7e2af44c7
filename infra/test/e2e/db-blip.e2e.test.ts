import { randomBytes } from 'node:crypto';
import { Client as PgClient } from 'pg';
import { newUserId } from './bot-system';
import { eventually } from './eventually';
import { parseLogLine, startProcessSystem, type ProcessSystem } from './process-system';

/**
 * Issue 12, item 6, "a database blip stops the shop": PostgreSQL ends every connection to the shop's
 * two databases (as a restart, a failover or a proxy's idle timeout would), once while the processes
 * are idle and once while requests run. Every process stays up, answers /health, and audited writes
 * work at once afterwards, their entries in the audit database; the lost connections are logged as
 * warnings. Only this run's databases are touched: PostgreSQL itself keeps running.
 */

const run = randomBytes(4).toString('hex');
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

let sys: ProcessSystem | undefined;
let passed = false;

afterAll(() => sys?.close({ keepLogs: !passed }));

it('a process survives PostgreSQL ending its connections, and works at once afterwards', async () => {
  sys = await startProcessSystem({ name: 'db-blip' });
  const { system, urls } = sys;

  // Every pool holds connections: audited writes in both services, their entries moved to the audit db.
  await auditedWrites(sys, 'before');

  // 1. While idle (the pools' idle timeout is 10 s: these connections are still open).
  const idle = await endConnections(sys);
  expect(idle.main).toBeGreaterThan(0);
  expect(idle.audit).toBeGreaterThan(0);
  await sleep(1_000);
  expect(system.exited()).toEqual([]);
  // The first requests after the blip succeed, on fresh connections.
  expect(await health(urls.catalog)).toBe(200);
  expect(await health(urls.orders)).toBe(200);
  await auditedWrites(sys, 'after idle');

  // 2. While requests run: the ones whose connection ends may fail; none takes a process down.
  const load = startLoad(sys);
  await sleep(500);
  const busy = await endConnections(sys);
  expect(busy.main).toBeGreaterThan(0);
  await sleep(500);
  const outcome = await load.stop();
  expect(outcome.ok).toBeGreaterThan(0);
  await sleep(1_000);
  expect(system.exited()).toEqual([]);
  expect(await health(urls.catalog)).toBe(200);
  expect(await health(urls.orders)).toBe(200);
  await auditedWrites(sys, 'after busy');
  // Whatever was committed reaches the audit database: both outboxes drain.
  await eventually(
    () => outboxRows(sys!),
    (n) => n === 0,
    'empty audit outboxes',
  );

  // The lost connections are warnings in each service's log, not a crash.
  const logs = sys.readLogs();
  for (const service of ['catalog', 'orders']) {
    const lines = logs[service] ?? [];
    const lost = lines
      .map(parseLogLine)
      .filter((e) => e?.level === 'warn' && e.message === 'database connection lost');
    expect({ service, pools: [...new Set(lost.map((e) => e?.pool))].sort() }).toEqual({
      service,
      pools: ['audit', service].sort(),
    });
    expect(lines.filter((l) => /Emitted 'error' event|Unhandled 'error' event|uncaught/i.test(l))).toEqual(
      [],
    );
  }
  passed = true;
}, 90_000);

/**
 * An audited write in each service: catalog adds a product and stock, orders credits a customer and
 * makes them a reseller. Each succeeds on its first try, and its entry reaches the audit database.
 */
async function auditedWrites(s: ProcessSystem, when: string): Promise<void> {
  const { id: productId } = await s.catalog.addProduct({ name: `Blip ${run} ${when}`, price: 5_000 });
  await s.catalog.addStock(productId, [`blip-${run}-${when}-1`, `blip-${run}-${when}-2`]);
  const userId = newUserId();
  await s.orders.upsertUser({ id: userId, name: `Blip ${when}` });
  await s.worker.postLedgerEntry({
    userId,
    delta: 1_000,
    reason: 'edit',
    idempotencyKey: `blip-${run}-${userId}`,
    actor: String(s.adminId),
  });
  await s.orders.setRole(userId, 'reseller', String(s.adminId));
  const expected = [
    `product.add product ${productId}`,
    `stock.add product ${productId}`,
    `balance.edit user ${userId}`,
    `user.role user ${userId}`,
  ];
  await eventually(
    () =>
      auditQuery<{ entry: string }>(
        s,
        `SELECT action || ' ' || target_type || ' ' || target_id AS entry FROM audit_log
          WHERE target_id IN ($1, $2)`,
        [String(productId), String(userId)],
      ).then((rows) => rows.map((r) => r.entry)),
    (entries) => expected.every((e) => entries.includes(e)),
    `the audit entries of the writes ${when} the blips`,
  );
}

/** Requests of every kind, a few at once, until stopped; how many answered and how many failed. */
function startLoad(s: ProcessSystem): { stop: () => Promise<{ ok: number; failed: number }> } {
  let running = true;
  const counts = { ok: 0, failed: 0 };
  const requests = [
    () => s.catalog.listProducts(),
    () => s.orders.upsertUser({ id: newUserId(), name: 'Blip load' }),
    async () => {
      const { id } = await s.catalog.addProduct({ name: `Blip load ${run}`, price: 1_000 });
      await s.catalog.addStock(id, [`blip-load-${run}-${id}`]);
    },
  ];
  const loops = requests.map(async (request) => {
    while (running) {
      await request().then(
        () => counts.ok++,
        () => counts.failed++,
      );
    }
  });
  return {
    stop: async () => {
      running = false;
      await Promise.all(loops);
      return counts;
    },
  };
}

/** Ends every connection to this run's two databases; how many it ended in each. */
async function endConnections(s: ProcessSystem): Promise<{ main: number; audit: number }> {
  const dbName = (url: string) => decodeURIComponent(new URL(url).pathname.slice(1));
  const [main, audit] = [dbName(s.databaseUrl), dbName(s.auditDatabaseUrl)];
  const admin = Object.assign(new URL(s.databaseUrl), { pathname: '/postgres' }).toString();
  const pg = new PgClient({ connectionString: admin });
  await pg.connect();
  try {
    const { rows } = await pg.query<{ datname: string; ended: boolean }>(
      `SELECT datname, pg_terminate_backend(pid) AS ended FROM pg_stat_activity
        WHERE datname IN ($1, $2) AND pid <> pg_backend_pid()`,
      [main, audit],
    );
    const count = (db: string) => rows.filter((r) => r.datname === db && r.ended).length;
    return { main: count(main), audit: count(audit) };
  } finally {
    await pg.end();
  }
}

async function health(url: string): Promise<number> {
  return (await fetch(`${url}/health`)).status;
}

async function outboxRows(s: ProcessSystem): Promise<number> {
  const pg = new PgClient({ connectionString: s.databaseUrl });
  await pg.connect();
  try {
    const { rows } = await pg.query<{ n: number }>(
      `SELECT (SELECT count(*) FROM catalog.audit_outbox) + (SELECT count(*) FROM orders.audit_outbox) AS n`,
    );
    return Number(rows[0]!.n);
  } finally {
    await pg.end();
  }
}

async function auditQuery<R extends object>(s: ProcessSystem, sql: string, values: unknown[]): Promise<R[]> {
  const pg = new PgClient({ connectionString: s.auditDatabaseUrl });
  await pg.connect();
  try {
    return (await pg.query<R>(sql, values)).rows;
  } finally {
    await pg.end();
  }
}

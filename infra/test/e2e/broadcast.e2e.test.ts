import { serviceTokenEnvFor } from '@quickcart/kit';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { ADMIN_ID, API_KEY, PROJECT } from '../../../services/orders/test/stack';
import { textOf, type Msg } from './admin-chat';
import { newUserId, startBotSystem, type BotSystem } from './bot-system';
import { eventually } from './eventually';

const ROOT = join(__dirname, '..', '..', '..');
const WORKER = join(ROOT, 'workflows', 'dist', 'worker', 'main.js');
const TEXT = 'Promo 12.12: diskon 20% semua produk!';

/** The real worker process (built by `tsc -b`), so the test can kill it as a crash would. */
function startWorkerProcess(sys: BotSystem): ChildProcess {
  if (!existsSync(WORKER)) throw new Error(`${WORKER} is missing: run \`npx tsc -b\` first (npm test does)`);
  return spawn(process.execPath, [WORKER], {
    env: {
      ...process.env,
      TEMPORAL_ADDRESS: process.env.TEMPORAL_ADDRESS,
      PAYMENTS_TASK_QUEUE: sys.stack.taskQueue,
      CATALOG_URL: sys.stack.catalogUrl,
      ORDERS_URL: sys.stack.ordersUrl,
      GATEWAY_URL: sys.gatewayUrl,
      ...serviceTokenEnvFor('worker', sys.stack.tokens),
      WORKER_PORT: '0',
      PAKASIR_BASE_URL: sys.stack.sandbox.url,
      PAKASIR_PROJECT: PROJECT,
      PAKASIR_API_KEY: API_KEY,
      LOG_LEVEL: 'error',
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
}

const killed = (p: ChildProcess) =>
  new Promise<void>((resolve) => {
    if (p.exitCode !== null || p.signalCode !== null) return resolve();
    p.once('exit', () => resolve());
    p.kill('SIGKILL');
  });

describe('broadcast to 300 users', () => {
  let sys: BotSystem;
  let worker: ChildProcess | undefined;
  beforeAll(async () => {
    sys = await startBotSystem({ paymentTimeout: '10m', pollInterval: '60s' }, {}, { worker: false });
  });
  afterAll(async () => {
    if (worker) await killed(worker);
    await sys?.close();
  });

  it('280 get it exactly once and 20 blocked are recorded, though the worker is killed midway', async () => {
    const admin = sys.telegram.user({ id: ADMIN_ID, firstName: 'Admin' });
    await sys.stack.orders.upsertUser({ id: ADMIN_ID, name: 'Admin' });
    const customers = Array.from({ length: 299 }, (_, i) =>
      sys.telegram.user({ id: newUserId(), firstName: `Pelanggan${i}` }),
    );
    for (const c of customers) await sys.stack.orders.upsertUser({ id: c.id, name: c.profile.firstName });
    const blocked = customers.slice(0, 20);
    for (const c of blocked) sys.telegram.block(c.id);
    const reached = [admin, ...customers.slice(20)];
    const received = (u: (typeof customers)[number]) =>
      u.messages().filter((m: Msg) => m.from === 'bot' && textOf(m) === TEXT).length;

    worker = startWorkerProcess(sys);
    await admin.send(`/broadcast ${TEXT}`);
    await admin.waitForText(/^📣 Broadcast dimulai\.[\s\S]*👥 Penerima: 300 user/);

    // Kill the worker once about a third went out: sends in flight die with it, and are retried.
    await eventually(
      () => reached.filter((u) => received(u) > 0).length,
      (n) => n >= 100,
      'a third sent',
      30_000,
    );
    await killed(worker);
    const atKill = reached.filter((u) => received(u) > 0).length;
    expect(atKill).toBeLessThan(280);
    worker = startWorkerProcess(sys);

    const report = await admin.waitForText(/Broadcast selesai/, { timeoutMs: 120_000 });
    expect(textOf(report)).toContain('✅ Terkirim: 280\n❌ Gagal: 20 (memblokir bot: 20)');
    expect(reached.map(received)).toEqual(reached.map(() => 1));
    expect(blocked.map(received)).toEqual(blocked.map(() => 0));
    const marked = await sys.stack.sql<{ n: number }>(
      'SELECT count(*)::int AS n FROM orders.users WHERE blocked_bot AND id = ANY($1::bigint[])',
      [blocked.map((c) => c.id)],
    );
    expect(marked).toEqual([{ n: 20 }]);
    const [record] = await sys.stack.sql<Record<string, unknown>>(
      'SELECT status, total, sent, failed, blocked FROM orders.broadcasts',
    );
    expect(record).toEqual({ status: 'done', total: 300, sent: 280, failed: 20, blocked: 20 });
    const finish = await sys.stack.auditSql<{ after: unknown }>(
      "SELECT after FROM audit_log WHERE action = 'broadcast.finish'",
    );
    expect(finish).toEqual([{ after: { total: 300, sent: 280, failed: 20, blocked: 20, cancelled: false } }]);
  }, 180_000);
});

import { execFile } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { Client, Connection } from '@temporalio/client';
import { Client as PgClient } from 'pg';
import { ROOT } from '../../bench/src/system';
import { freePort, newUserId } from './bot-system';
import { eventually } from './eventually';
import { startProcessSystem, type ProcessSystem } from './process-system';

/**
 * Issue 18: Temporal killed (SIGKILL) while a press's `open` update is in flight — the run has opened the
 * order and reserved its stock, and waits for Pakasir's QRIS — then started again on the same history.
 * The press is answered "busy" (the customer presses again: a new update, a new request key); the run
 * of the first press gives back everything it held once Temporal is back, and the second press gets
 * its QR with the only pending order and the only stock held.
 */
const run = promisify(execFile);
const script = path.join(ROOT, 'infra/temporal/temporal.sh');

/** A Temporal dev server of this test's own, on a database file, so a kill keeps its history. */
class OwnTemporal {
  constructor(
    readonly port: number,
    readonly dbFile: string,
  ) {}

  start = () =>
    run('bash', [script, 'start', '--port', String(this.port), '--headless', '--db-filename', this.dbFile]);

  /** SIGKILL to its process group (temporal.sh starts it with setsid), as a crash. */
  async kill(): Promise<void> {
    const pidFile = path.join(ROOT, '.data/temporal', `run-${this.port}`, 'pid');
    const pid = Number(readFileSync(pidFile, 'utf8').trim());
    process.kill(-pid, 'SIGKILL');
    await eventually(
      () => readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.[0] ?? 'gone',
      (state) => state === 'Z' || state === 'gone',
      'the Temporal server dead',
      10_000,
    ).catch(() => 'gone'); // reading /proc of a reaped pid throws: it is gone
    rmSync(pidFile, { force: true });
  }

  stop = () => run('bash', [script, 'stop', '--port', String(this.port)]);
}

let temporalServer: OwnTemporal;
let sys: ProcessSystem;
let pg: PgClient;
let temporal: Client;
let passed = 0;

beforeAll(async () => {
  const port = await freePort();
  const dbFile = path.join(ROOT, '.data/temporal', `crash-${port}.sqlite`);
  rmSync(dbFile, { force: true });
  temporalServer = new OwnTemporal(port, dbFile);
  await temporalServer.start();
  sys = await startProcessSystem({ name: 'temporal-crash', temporalAddress: `127.0.0.1:${port}` });
  pg = new PgClient({ connectionString: sys.databaseUrl });
  await pg.connect();
  temporal = new Client({ connection: await Connection.connect({ address: `127.0.0.1:${port}` }) });
}, 90_000);
afterAll(async () => {
  await pg?.end();
  await temporal?.connection.close();
  await sys?.close({ keepLogs: passed < 1 });
  await temporalServer?.stop();
  if (temporalServer) rmSync(temporalServer.dbFile, { force: true });
});

const sql = async <R extends object>(text: string, values: unknown[] = []) =>
  (await pg.query<R>(text, values)).rows;

const ordersOf = (userId: number) =>
  sql<{ invoice_id: string; status: string }>(
    'SELECT invoice_id, status FROM orders.orders WHERE user_id = $1 ORDER BY id',
    [userId],
  );

const heldFor = (productId: number) =>
  sql<{ invoice_id: string }>(
    `SELECT invoice_id FROM catalog.stock_items WHERE product_id = $1 AND status = 'reserved'`,
    [productId],
  ).then((rows) => rows.map((r) => r.invoice_id));

it('killed inside the open update: "busy", the first run gives everything back, the next press gets its QR', async () => {
  const { id: productId } = await sys.catalog.addProduct({
    name: `Temporal crash ${Date.now()}`,
    price: 15_000,
  });
  await sys.catalog.addStock(productId, ['tc-1:pw', 'tc-2:pw', 'tc-3:pw', 'tc-4:pw']);
  const customer = sys.telegram.user({ id: newUserId(), firstName: 'Rina' });
  await sys.orders.upsertUser({ id: customer.id, name: 'Rina' });
  const press = (n: number) =>
    sys.orders.checkout({
      userId: customer.id,
      productId,
      quantity: 2,
      paymentMethod: 'qris',
      requestKey: `temporal-crash:${customer.id}:${n}`,
    });

  // Pakasir slow to create the QRIS: the run has opened the order and holds its stock, the update waits.
  sys.pakasir.faults.set({ delayMs: 8_000, failPaths: ['/api/transactioncreate'] });
  const first = press(1).then(
    () => 'answered',
    (error: { reason?: string }) => error.reason ?? 'failed',
  );
  const [opened] = await eventually(
    () => ordersOf(customer.id),
    (orders) => orders.length === 1,
    'the first press opened its order',
  );
  await eventually(
    () => heldFor(productId),
    (held) => held.length === 2,
    'its stock reserved',
  );
  await temporalServer.kill();
  expect(await first).toBe('busy');
  await temporalServer.start();
  sys.pakasir.faults.set({ delayMs: 0, failPaths: null });

  // The run of the first press, back on the restarted server, takes checkout's cancel and gives back.
  await eventually(
    async () => ({ orders: await ordersOf(customer.id), held: await heldFor(productId) }),
    (s) => s.orders[0]?.status !== 'pending' && s.held.length === 0,
    'the first press given back',
    90_000,
  );
  const firstRun = temporal.workflow.getHandle(`purchase-${opened!.invoice_id}`);
  const closed = await eventually(
    async () => (await firstRun.describe()).status.name,
    (status) => status !== 'RUNNING',
    'the first run closed',
    60_000,
  );
  expect(closed).toBe('COMPLETED');

  // The customer presses again: one pending order, its QR, and only its stock held.
  const second = await eventually(
    () => press(2).catch((error: Error) => error),
    (a) => !(a instanceof Error) && a.qr !== null,
    'the next press answered with its QR',
    60_000,
  );
  if (second instanceof Error) throw second;
  const pending = (await ordersOf(customer.id)).filter((o) => o.status === 'pending');
  expect(pending.map((o) => o.invoice_id)).toEqual([second.invoiceId]);
  expect(await heldFor(productId)).toEqual([second.invoiceId, second.invoiceId]);
  passed++;
}, 240_000);

import { execFileSync } from 'node:child_process';
import { Client as PgClient } from 'pg';
import { newUserId } from './bot-system';
import { eventually } from './eventually';
import { parseLogLine, startProcessSystem, type ProcessSystem } from './process-system';

/**
 * An operator terminates a balance purchase in Temporal after its debit and before "paid" (here: the
 * catalog holds the commit of the items open with the test-only QC_FAULT_HOLD, so the run is caught
 * in exactly that window). The order must not keep the money: orders' sweep finds the pending order
 * whose run ended, closes it failed, and in that same change credits the debit back, once; the
 * stock goes back on sale.
 */

const PRICE = 40_000;
let sys: ProcessSystem;
let pg: PgClient;
let passed = false;

beforeAll(async () => {
  sys = await startProcessSystem({
    name: 'balance-give-back',
    env: {
      catalog: { QC_FAULT_HOLD: 'reservation.before-commit' },
      orders: { ORPHAN_SWEEP_INTERVAL: '2s', WORKFLOW_START_GRACE: '1s' },
    },
  });
  pg = new PgClient({ connectionString: sys.databaseUrl });
  await pg.connect();
}, 60_000);
afterAll(async () => {
  await pg?.end();
  await sys?.close({ keepLogs: !passed });
});

const sql = async <R extends object>(text: string, values: unknown[] = []) =>
  (await pg.query<R>(text, values)).rows;

const commitsHeld = () =>
  (sys.readLogs().catalog ?? [])
    .map(parseLogLine)
    .filter((e) => e?.message === 'fault hold reached' && e.step === 'reservation.before-commit').length;

/** The Temporal CLI, as an operator would use it. */
function terminate(workflowId: string): void {
  execFileSync(
    process.env.TEMPORAL_CLI_PATH ?? 'temporal',
    [
      'workflow',
      'terminate',
      '--workflow-id',
      workflowId,
      '--reason',
      'operator ended it in the e2e test',
      '--address',
      process.env.TEMPORAL_ADDRESS!,
    ],
    { stdio: 'pipe' },
  );
}

it('gives the debit back once and releases the stock when an operator terminates a paid-from-balance run', async () => {
  const { id: productId } = await sys.catalog.addProduct({ name: `Spotify ${Date.now()}`, price: PRICE });
  await sys.catalog.addStock(productId, ['spotify-1:pw', 'spotify-2:pw']);
  const userId = newUserId();
  await sys.orders.upsertUser({ id: userId, name: 'Sari' });
  await sys.worker.postLedgerEntry({
    userId,
    delta: 100_000,
    reason: 'deposit',
    idempotencyKey: `seed-${userId}`,
  });

  const order = await sys.orders.checkout({ userId, productId, quantity: 1, paymentMethod: 'balance' });
  await eventually(commitsHeld, (n) => n > 0, 'the run holding at the commit of the items', 30_000);
  expect((await sys.orders.user(userId)).balance).toBe(100_000 - PRICE);

  terminate(`purchase-${order.invoiceId}`);

  const closed = await eventually(
    () => sys.orders.order(order.invoiceId),
    (o) => o.status !== 'pending',
    'the order closed by the sweep',
    120_000,
  );
  expect(closed.status).toBe('failed');
  expect((await sys.orders.user(userId)).balance).toBe(100_000);
  const entries = (await sys.orders.ledger(userId)).items.filter((e) => e.reference === order.invoiceId);
  expect(entries.map((e) => [e.reason, e.delta]).sort()).toEqual([
    ['purchase', -PRICE],
    ['refund', PRICE],
  ]);
  await eventually(
    () =>
      sql<{ status: string }>(`SELECT status FROM catalog.stock_items WHERE product_id = $1`, [productId]),
    (items) => items.every((i) => i.status === 'available'),
    'the item back on sale',
    30_000,
  );
  const audit = await eventually(
    async () => {
      const a = new PgClient({ connectionString: sys.auditDatabaseUrl });
      await a.connect();
      try {
        return (
          await a.query<{ action: string }>(`SELECT action FROM audit_log WHERE reference = $1 ORDER BY id`, [
            order.invoiceId,
          ])
        ).rows.map((r) => r.action);
      } finally {
        await a.end();
      }
    },
    (actions) => actions.includes('balance.refund'),
    'the refund in the audit log',
  );
  expect(audit.filter((a) => a === 'balance.refund')).toHaveLength(1);
  passed = true;
}, 200_000);

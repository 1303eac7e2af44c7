import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createTestDatabase, dropDatabase } from '@quickcart/db';
import { generateServiceTokens } from '@quickcart/kit';
import { startNotifyRecorder, type NotifyRecorder } from '@quickcart/notify';
import { startPakasirSandbox, type PakasirSandbox } from '@quickcart/sandbox';
import { workflowIds } from '@quickcart/workflow-api';
import { API_KEY, PROJECT, startTestStack, type TestStack } from '../../../services/orders/test/stack';
import { freePort } from './bot-system';
import { startWorker } from './worker';

/**
 * An operator backs up a running shop (a balance, a sold order, audit entries, a QRIS purchase waiting
 * for its payment on a file-backed Temporal), loses the machine, and restores the file into fresh
 * databases: the same balances, every audit entry, and the waiting purchase still delivers when paid.
 */
const ROOT = path.resolve(__dirname, '../../..');
const temporalScript = path.join(ROOT, 'infra/temporal/temporal.sh');
const run = (script: string, args: string[], env: Record<string, string>) =>
  spawnSync('bash', [path.join(ROOT, script), ...args], {
    env: { ...process.env, ...env },
    encoding: 'utf8',
  });

function temporal(command: 'start' | 'stop', port: number, dbFile?: string) {
  const args = command === 'start' ? ['--headless', '--db-filename', dbFile!] : [];
  const out = spawnSync('bash', [temporalScript, command, '--port', String(port), ...args], {
    encoding: 'utf8',
  });
  if (out.status !== 0) throw new Error(`temporal.sh ${command} failed: ${out.stderr}`);
}

interface Shop {
  stack: TestStack;
  stop: () => Promise<void>;
}

async function startShop(reuse: NonNullable<Parameters<typeof startTestStack>[0]>['reuse']): Promise<Shop> {
  const stack = await startTestStack({ reuse, worker: 'none' });
  const worker = await startWorker(stack, recorder.url, reuse!.temporalAddress);
  return {
    stack,
    stop: async () => {
      await worker.stop();
      await stack.close();
    },
  };
}

const dir = mkdtempSync(path.join(tmpdir(), 'qc-backup-'));
const pg = (name: string) =>
  Object.assign(new URL(process.env.PG_TEST_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres'), {
    pathname: `/${name}`,
  }).toString();
const suffix = `${process.pid}_${Date.now().toString(36)}`;
const restored = {
  databaseUrl: pg(`qc_test_restored_${suffix}`),
  auditDatabaseUrl: pg(`qc_test_restored_${suffix}_audit`),
};
// One set of service tokens for both shops: the restored one is the same deployment.
const tokens = generateServiceTokens();
let recorder: NotifyRecorder;
let sandbox: PakasirSandbox;
const ports: number[] = [];
const databases: string[] = [restored.databaseUrl, restored.auditDatabaseUrl];
let shops: Shop[] = [];

beforeAll(async () => {
  recorder = await startNotifyRecorder({ token: tokens.worker });
  sandbox = await startPakasirSandbox({ projects: { [PROJECT]: { apiKey: API_KEY } } });
});
afterAll(async () => {
  for (const shop of shops) await shop.stop().catch(() => undefined);
  for (const port of ports) temporal('stop', port);
  for (const url of databases) await dropDatabase(url).catch(() => undefined);
  await recorder?.close();
  await sandbox?.close();
  rmSync(dir, { recursive: true, force: true });
});

it('restores balances, the whole audit log and a waiting purchase that still delivers', async () => {
  const before = { db: await createTestDatabase('backup'), audit: await createTestDatabase('backup_audit') };
  databases.push(before.db.url, before.audit.url);
  const temporalFile = path.join(dir, 'temporal.sqlite');
  const port = await freePort();
  ports.push(port);
  temporal('start', port, temporalFile);
  const taskQueue = `backup-${suffix}`;
  const first = await startShop({
    databaseUrl: before.db.url,
    auditDatabaseUrl: before.audit.url,
    temporalAddress: `127.0.0.1:${port}`,
    taskQueue,
    sandbox,
    tokens,
  });
  shops.push(first);
  const { stack } = first;

  // A customer with a balance who bought with it, and one whose QRIS purchase waits for the payment.
  const { id: productId } = await stack.catalog.addProduct({ name: 'Canva', price: 30_000 });
  await stack.catalog.addStock(productId, ['canva1:pw', 'canva2:pw', 'canva3:pw']);
  const saver = 8_900_001;
  const payer = 8_900_002;
  await stack.orders.upsertUser({ id: saver, name: 'Sari' });
  await stack.orders.upsertUser({ id: payer, name: 'Budi' });
  await stack.worker.postLedgerEntry({
    userId: saver,
    delta: 100_000,
    reason: 'transfer',
    reference: 'backup-test',
    idempotencyKey: `backup-test-${suffix}`,
    actor: '1',
  });
  const bought = await stack.orders.checkout({
    userId: saver,
    productId,
    quantity: 1,
    paymentMethod: 'balance',
  });
  await stack.temporal.workflow.getHandle(workflowIds.purchase(bought.invoiceId)).result();
  const waiting = await stack.orders.checkout({
    userId: payer,
    productId,
    quantity: 1,
    paymentMethod: 'qris',
  });
  // Its run opened the Pakasir invoice and answered the press with the QR (the gateway's to show).
  expect(waiting.qr?.qrString).toBeTruthy();

  await stack.orders.audit({ limit: 1 }); // moves what waits in orders' outbox into the audit log
  const auditBefore = await stack.auditSql<{ id: string; action: string; target_id: string }>(
    'SELECT id, action, target_id FROM audit_log ORDER BY id',
  );
  expect(auditBefore.length).toBeGreaterThan(5);
  expect((await stack.orders.user(saver)).balance).toBe(70_000);

  // The backup is taken while everything runs.
  const backupDir = path.join(dir, 'backups');
  const settings = {
    DATABASE_URL: before.db.url,
    AUDIT_DATABASE_URL: before.audit.url,
    TEMPORAL_SQLITE: temporalFile,
    BACKUP_DIR: backupDir,
  };
  const backup = run('infra/backup/backup.sh', [], settings);
  expect(backup.stderr).not.toContain('failed');
  expect(backup.status).toBe(0);
  const file = backup.stdout.trim();
  expect(readdirSync(backupDir)).toEqual([path.basename(file)]);

  // The machine is lost.
  await first.stop();
  shops = [];
  temporal('stop', port);

  // A restore into databases that hold data is refused, and changes nothing.
  const refused = run('infra/backup/restore.sh', [file], {
    ...settings,
    TEMPORAL_SQLITE: path.join(dir, 'other.sqlite'),
  });
  expect(refused.status).toBe(1);
  expect(refused.stderr).toContain('is not empty');

  const restoredFile = path.join(dir, 'restored', 'temporal.sqlite');
  const restore = run('infra/backup/restore.sh', [file], {
    DATABASE_URL: restored.databaseUrl,
    AUDIT_DATABASE_URL: restored.auditDatabaseUrl,
    TEMPORAL_SQLITE: restoredFile,
  });
  expect(restore.stderr).toContain('restored');
  expect(restore.status).toBe(0);

  const newPort = await freePort();
  ports.push(newPort);
  temporal('start', newPort, restoredFile);
  const second = await startShop({
    ...restored,
    temporalAddress: `127.0.0.1:${newPort}`,
    taskQueue,
    sandbox,
    tokens,
  });
  shops.push(second);
  const after = second.stack;

  expect((await after.orders.user(saver)).balance).toBe(70_000);
  expect((await after.orders.user(payer)).balance).toBe(0);
  expect((await after.orders.order(bought.invoiceId)).status).toBe('paid');
  const auditAfter = await after.auditSql<{ id: string; action: string; target_id: string }>(
    'SELECT id, action, target_id FROM audit_log ORDER BY id',
  );
  expect(auditAfter.slice(0, auditBefore.length)).toEqual(auditBefore);
  // Still append-only after the restore.
  await expect(after.auditSql('DELETE FROM audit_log')).rejects.toThrow(/append-only/);

  // The customer pays now: the restored workflow takes it and delivers.
  sandbox.pay(waiting.invoiceId);
  const result = await after.temporal.workflow.getHandle(workflowIds.purchase(waiting.invoiceId)).result();
  expect(result).toEqual({ status: 'delivered' });
  expect(recorder.templates(payer)).toContain('purchase.delivered');
  expect((await after.orders.order(waiting.invoiceId)).status).toBe('paid');
  expect((await after.catalog.product(productId)).soldCount).toBe(2);
}, 180_000);

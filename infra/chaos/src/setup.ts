import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { CatalogClient } from '@quickcart/catalog/client';
import { dropDatabase, testServerUrl } from '@quickcart/db';
import { generateServiceTokens } from '@quickcart/kit';
import { OrdersClient } from '@quickcart/orders/client';
import {
  startPakasirSandbox,
  startTelegramSandbox,
  type PakasirSandbox,
  type TelegramSandbox,
} from '@quickcart/sandbox';
import { Pool } from 'pg';
import { ROOT, forgetRedisKeys, RunningSystem } from '../../bench/dist/system';
import type { ChaosSettings } from './settings';
import { TemporalServer } from './temporal-server';

export const PAKASIR = {
  project: 'qc-chaos',
  apiKey: 'chaos-key',
  webhookSecret: 'chaos-webhook-secret-0123',
};
export const ADMIN_ID = 100_000_002;

export interface Chaos {
  tag: string;
  telegram: TelegramSandbox;
  pakasir: PakasirSandbox;
  system: RunningSystem;
  temporal: TemporalServer;
  urls: ReturnType<RunningSystem['urls']>;
  orders: OrdersClient;
  catalog: CatalogClient;
  /** The shop's main database (catalog and orders schemas), read by the checks. */
  db: Pool;
  databases: string[];
  /** Where Pakasir posts its webhook; the injector posts duplicates and late ones here itself. */
  webhookUrl: string;
  /** Each process's log (`gateway.log`, `gateway-2.log`, …). */
  logDir: string;
}

const undo: (() => Promise<unknown>)[] = [];

export async function tearDown(): Promise<void> {
  while (undo.length > 0)
    await undo.pop()!().catch((error: Error) => console.error(`[chaos] ${error.message}`));
}

/**
 * Both sandboxes in this process (the checks read their own records), fresh databases and Redis keys,
 * then catalog, orders, gateway and the worker as separate processes from their dist/, on the Temporal
 * dev server run.sh started. Short payment windows and sweeps, so the drain ends in a minute or two.
 */
export async function setUp(s: ChaosSettings, log: (line: string) => void): Promise<Chaos> {
  const tag = `c${Date.now().toString(36)}`;
  const logDir = path.join(ROOT, '.data', 'chaos', tag);
  mkdirSync(logDir, { recursive: true });
  const base = Number(process.env.CHAOS_BASE_PORT ?? 18600);
  const ports = {
    catalog: base + 1,
    orders: base + 2,
    gateway: base + 3,
    ordersWebhook: base + 12,
    gatewayWebhook: base + 13,
  };
  const tokens = generateServiceTokens();
  // The scenarios act as customers and the admin do, through the gateway's routes.
  const token = tokens.gateway;
  const temporalPort = Number(process.env.CHAOS_TEMPORAL_PORT ?? 17633);
  const webhookUrl = `http://127.0.0.1:${ports.ordersWebhook}/webhooks/pakasir/${PAKASIR.webhookSecret}`;

  const telegram = await startTelegramSandbox({ port: 0 });
  undo.push(() => telegram.close());
  const pakasir = await startPakasirSandbox({
    projects: { [PAKASIR.project]: { apiKey: PAKASIR.apiKey, webhookUrl } },
  });
  undo.push(() => pakasir.close());

  const name = `qc_chaos_${tag}`;
  const databaseUrl = testServerUrl(name);
  const auditDatabaseUrl = testServerUrl(`${name}_audit`);
  if (!s.keepDatabases) {
    undo.push(async () => {
      await dropDatabase(databaseUrl);
      await dropDatabase(auditDatabaseUrl);
    });
  }
  undo.push(() => forgetRedisKeys(tag));
  const paymentWindow = `${Math.round(s.paymentWindowMs / 1000)}s`;
  const system = new RunningSystem({
    tag,
    logDir,
    pidFile: process.env.CHAOS_PID_FILE ?? path.join(logDir, 'pids'),
    ports,
    tokens,
    logLevel: 'warn',
    temporalAddress: `127.0.0.1:${temporalPort}`,
    telegramUrl: telegram.url,
    pakasirUrl: pakasir.url,
    pakasir: PAKASIR,
    adminId: ADMIN_ID,
    // Several gateways take Telegram's webhook through a round-robin proxy (one poller per bot).
    gatewayMode: s.replicas > 1 ? 'webhook' : 'polling',
    replicas: s.replicas,
    databaseUrl,
    auditDatabaseUrl,
    extraEnv: {
      orders: {
        PAYMENT_TIMEOUT: paymentWindow,
        PAYMENT_POLL_INTERVAL: '3s',
        WORKFLOW_START_GRACE: '5s',
        ORPHAN_SWEEP_INTERVAL: '5s',
      },
      worker: { RECONCILE_EVERY: '10s', RECONCILE_WINDOW_HOURS: '1' },
      // `update handled` with each update's id: what press-count.ts counts as handled.
      gateway: { LOG_LEVEL: 'debug' },
    },
  });
  undo.push(() => system.stop());
  process.on('exit', () => system.killNow());
  const copies = s.replicas > 1 ? `, ${s.replicas} of each behind round-robin proxies` : '';
  log(`starting catalog, orders, gateway, worker${copies} (logs in ${path.relative(ROOT, logDir)}/)`);
  telegram.user({ id: ADMIN_ID, firstName: 'Admin' });
  await system.start();

  const db = new Pool({ connectionString: databaseUrl, max: 3 });
  db.on('error', () => undefined); // our own connections are terminated with the shop's
  undo.push(() => db.end());
  const urls = system.urls();
  return {
    tag,
    telegram,
    pakasir,
    system,
    temporal: new TemporalServer(temporalPort, process.env.CHAOS_TEMPORAL_DB ?? 'memory'),
    urls,
    orders: new OrdersClient({ baseUrl: urls.orders, token, timeoutMs: 15_000 }),
    catalog: new CatalogClient({ baseUrl: urls.catalog, token, timeoutMs: 30_000 }),
    db,
    databases: [name, `${name}_audit`],
    webhookUrl,
    logDir,
  };
}

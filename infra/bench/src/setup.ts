import { mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { dropDatabase, testServerUrl } from '@quickcart/db';
import { generateServiceTokens } from '@quickcart/kit';
import {
  startPakasirSandbox,
  startTelegramSandbox,
  type PakasirSandbox,
  type TelegramSandbox,
} from '@quickcart/sandbox';
import { ReplyWatch } from './customer';
import { redisPid, CpuMeter } from './cost';
import { seedShop, type Shop } from './shop';
import { BENCH_TELEGRAM_LIMITS, type BenchSettings } from './settings';
import { ROOT, forgetRedisKeys, RunningSystem } from './system';

const PAKASIR = { project: 'qc-bench', apiKey: 'bench-key', webhookSecret: 'bench-webhook-secret-0123' };
export const ADMIN_ID = 100_000_001;

export interface Bench {
  tag: string;
  telegram: TelegramSandbox;
  pakasir: PakasirSandbox;
  system: RunningSystem;
  shop: Shop;
  watch: ReplyWatch;
  meter: CpuMeter;
  urls: ReturnType<RunningSystem['urls']>;
  /** The gateway's token (GATEWAY_API_TOKEN): the bench seeds the shop and registers customers as it would. */
  token: string;
  /** The bench's own Temporal dev server. */
  temporalAddress: string;
  /** The worker's cap on Telegram calls a second (`--telegram-rate`); undefined: the product's default. */
  telegramRate?: number;
}

/** Undo steps, run last-first by `tearDown` whatever happened. */
const undo: (() => Promise<unknown>)[] = [];

export async function tearDown(): Promise<void> {
  while (undo.length > 0)
    await undo.pop()!().catch((error: Error) => console.error(`[bench] ${error.message}`));
}

/**
 * Both sandboxes in this process (they are "Telegram" and "Pakasir", and the bench reads what customers
 * see straight from them), fresh databases and Redis keys, then catalog, orders, gateway and the worker
 * as separate processes from their dist/, on the Temporal dev server run.sh started.
 */
export async function setUp(
  s: BenchSettings,
  o: {
    keepDatabases: boolean;
    gatewayMode: 'polling' | 'webhook';
    telegramRate?: number;
    /** Copies of each process (system.ts); 1 unless given. */
    replicas?: number;
    log: (l: string) => void;
  },
): Promise<Bench> {
  const tag = `b${Date.now().toString(36)}`;
  // A run with copies logs beside the single run's logs, not over them.
  const replicas = o.replicas ?? 1;
  const logDir = path.join(ROOT, '.data', 'bench', ...(replicas > 1 ? [`replicas-${replicas}`] : []));
  mkdirSync(logDir, { recursive: true });
  const ports = {
    catalog: Number(process.env.BENCH_CATALOG_PORT ?? 18401),
    orders: Number(process.env.BENCH_ORDERS_PORT ?? 18402),
    gateway: Number(process.env.BENCH_GATEWAY_PORT ?? 18403),
    ordersWebhook: Number(process.env.BENCH_ORDERS_WEBHOOK_PORT ?? 18412),
    gatewayWebhook: Number(process.env.BENCH_GATEWAY_WEBHOOK_PORT ?? 18413),
  };
  const tokens = generateServiceTokens();
  const token = tokens.gateway;
  const temporalPort = Number(process.env.BENCH_TEMPORAL_PORT ?? 17433);
  const ordersWebhookUrl = `http://127.0.0.1:${ports.ordersWebhook}`;

  const telegram = await startTelegramSandbox({ port: 0, limits: BENCH_TELEGRAM_LIMITS });
  undo.push(() => telegram.close());
  const pakasir = await startPakasirSandbox({
    projects: {
      [PAKASIR.project]: {
        apiKey: PAKASIR.apiKey,
        webhookUrl: `${ordersWebhookUrl}/webhooks/pakasir/${PAKASIR.webhookSecret}`,
      },
    },
  });
  undo.push(() => pakasir.close());

  const db = `qc_bench_${tag}`;
  const databaseUrl = testServerUrl(db);
  const auditDatabaseUrl = testServerUrl(`${db}_audit`);
  if (!o.keepDatabases) {
    undo.push(async () => {
      await dropDatabase(databaseUrl);
      await dropDatabase(auditDatabaseUrl);
    });
  }
  undo.push(() => forgetRedisKeys(tag));
  const system = new RunningSystem({
    tag,
    logDir,
    pidFile: process.env.BENCH_PID_FILE ?? path.join(logDir, 'pids'),
    ports,
    tokens,
    temporalAddress: `127.0.0.1:${temporalPort}`,
    telegramUrl: telegram.url,
    pakasirUrl: pakasir.url,
    pakasir: PAKASIR,
    adminId: ADMIN_ID,
    gatewayMode: o.gatewayMode,
    replicas,
    databaseUrl,
    auditDatabaseUrl,
    extraEnv:
      o.telegramRate === undefined
        ? undefined
        : { worker: { TELEGRAM_RATE_PER_SECOND: String(o.telegramRate) } },
  });
  undo.push(() => system.stop());
  process.on('exit', () => system.killNow());
  const copies = replicas > 1 ? `, ${replicas} of each behind round-robin proxies` : '';
  o.log(`starting catalog, orders, gateway, worker${copies} (logs in ${path.relative(ROOT, logDir)}/)`);
  telegram.user({ id: ADMIN_ID, firstName: 'Admin' }); // admins are told of every paid order
  await system.start();

  const urls = system.urls();
  const shop = await seedShop(urls.catalog, token, tag, {
    checkoutStock: s.checkout.stock,
    flashItems: s.flash.items,
  });
  const temporalPid = Number(
    readFileSync(path.join(ROOT, '.data', 'temporal', `run-${temporalPort}`, 'pid'), 'utf8').trim(),
  );
  const meter = new CpuMeter({ ...system.pids(), temporal: temporalPid }, [db, `${db}_audit`], redisPid());
  await meter.start();
  undo.push(() => meter.stop());
  return {
    tag,
    telegram,
    pakasir,
    system,
    shop,
    watch: new ReplyWatch(telegram.store),
    meter,
    urls,
    token,
    temporalAddress: `127.0.0.1:${temporalPort}`,
    telegramRate: o.telegramRate,
  };
}

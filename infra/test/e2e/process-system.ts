import { randomBytes, randomInt } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { CatalogClient } from '@quickcart/catalog/client';
import { dropDatabase } from '@quickcart/db';
import { generateServiceTokens, internalAuthHeader } from '@quickcart/kit';
import { OrdersClient } from '@quickcart/orders/client';
import {
  startPakasirSandbox,
  startTelegramSandbox,
  type PakasirSandbox,
  type TelegramSandbox,
} from '@quickcart/sandbox';
import { eventually } from './eventually';
import { ROOT, forgetRedisKeys, RunningSystem, type SystemSettings } from '../../bench/src/system';
import { freePort, newUserId } from './bot-system';

/** The secrets a system runs with, by the environment variable that carries each. */
export interface SystemSecrets {
  GATEWAY_API_TOKEN: string;
  WORKER_API_TOKEN: string;
  ORDERS_API_TOKEN: string;
  /** Prometheus' token: /metrics and /ready of every process. */
  METRICS_API_TOKEN: string;
  PAKASIR_API_KEY: string;
  PAKASIR_WEBHOOK_SECRET: string;
  TELEGRAM_BOT_TOKEN: string;
  TELEGRAM_WEBHOOK_SECRET: string;
}

export interface ProcessSystemOptions {
  /** Names the run: its log folder (.data/<name>/), databases and Redis keys. Lower-case letters, '-'. */
  name: string;
  /** The processes' LOG_LEVEL; default 'info'. */
  logLevel?: string;
  /** Default 'polling'. */
  gatewayMode?: 'polling' | 'webhook';
  /** Any left out are made up for this run. */
  secrets?: Partial<SystemSecrets>;
  /** More environment for some processes (a fault switch); `system.restart` changes it later. */
  env?: SystemSettings['extraEnv'];
  /** A Temporal server of the test's own (one it kills); default jest's shared one (TEMPORAL_ADDRESS). */
  temporalAddress?: string;
}

/** Our four processes (catalog, orders, gateway, worker) from their dist/, with everything they need. */
export interface ProcessSystem {
  /** Also kills one process (`kill('orders')`, a crash) and starts it again (`restart`, changed env). */
  system: RunningSystem;
  urls: ReturnType<RunningSystem['urls']>;
  secrets: SystemSecrets;
  /** The gateway's token: `catalog` and `orders` call as the gateway does. */
  token: string;
  /** Prometheus' token: the only one /metrics and /ready serve (docs/security.md). */
  metricsToken: string;
  /** The Pakasir project the processes use. */
  project: string;
  /** The one admin in ADMIN_IDS. */
  adminId: number;
  telegram: TelegramSandbox;
  pakasir: PakasirSandbox;
  catalog: CatalogClient;
  orders: OrdersClient;
  /** Orders as the worker calls it (ledger postings, order status). */
  worker: OrdersClient;
  databaseUrl: string;
  auditDatabaseUrl: string;
  logDir: string;
  /** The gateway's REDIS_KEY_PREFIX: its sessions, counters and inbox (docs/operations.md). */
  redisPrefix: string;
  /** Each process's log lines so far, by process name. */
  readLogs: () => Record<string, string[]>;
  /** Stops everything and forgets this run's data; the logs stay when `keepLogs` (a failed test). */
  close: (options?: { keepLogs?: boolean }) => Promise<void>;
}

const hex = (bytes: number) => randomBytes(bytes).toString('hex');

/**
 * Starts the processes as `npm start` runs them, against the two sandboxes, fresh databases and this
 * run's own Redis keys. If starting fails, what was started is stopped before the error is thrown.
 */
export async function startProcessSystem(options: ProcessSystemOptions): Promise<ProcessSystem> {
  const short = options.name.replace(/[^a-z0-9]/g, '');
  const tag = `${short.slice(0, 4)}${Date.now().toString(36)}${hex(4)}`;
  const tokens = generateServiceTokens();
  const secrets: SystemSecrets = {
    GATEWAY_API_TOKEN: tokens.gateway,
    WORKER_API_TOKEN: tokens.worker,
    ORDERS_API_TOKEN: tokens.orders,
    METRICS_API_TOKEN: tokens.metrics,
    PAKASIR_API_KEY: `key${hex(12)}`,
    PAKASIR_WEBHOOK_SECRET: `hook${hex(12)}`,
    TELEGRAM_BOT_TOKEN: `${randomInt(1_000_000, 9_999_999)}:bot${hex(12)}`,
    TELEGRAM_WEBHOOK_SECRET: `tghook${hex(12)}`,
    ...options.secrets,
  };
  const project = `qc-${short.slice(0, 8)}-${hex(4)}`;
  const pgBase = process.env.PG_TEST_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  const dbUrl = (db: string) => Object.assign(new URL(pgBase), { pathname: `/${db}` }).toString();
  const databaseUrl = dbUrl(`qc_test_${short}_${tag}`);
  const auditDatabaseUrl = dbUrl(`qc_test_${short}_${tag}_audit`);
  const logDir = path.join(ROOT, '.data', options.name, tag);
  mkdirSync(logDir, { recursive: true });

  let telegram: TelegramSandbox | undefined;
  let pakasir: PakasirSandbox | undefined;
  let system: RunningSystem | undefined;
  const close = async ({ keepLogs = false } = {}) => {
    const steps: [string, () => Promise<unknown> | undefined][] = [
      ['stop the processes', () => system?.stop()],
      ['close the Telegram sandbox', () => telegram?.close()],
      ['close the Pakasir sandbox', () => pakasir?.close()],
      ['drop the databases', () => dropDatabase(databaseUrl).then(() => dropDatabase(auditDatabaseUrl))],
      // The gateway's sessions and counters (24 h TTLs otherwise); RunningSystem's REDIS_KEY_PREFIX.
      ['forget the Redis keys', () => forgetRedisKeys(tag)],
    ];
    for (const [what, step] of steps) {
      await Promise.resolve()
        .then(step)
        .catch((error: Error) => console.error(`${options.name}: could not ${what}: ${error.message}`));
    }
    if (keepLogs) console.error(`${options.name}: the logs are in ${path.relative(ROOT, logDir)}/`);
    else rmSync(logDir, { recursive: true, force: true });
  };

  try {
    const ports = {
      catalog: await freePort(),
      orders: await freePort(),
      ordersWebhook: await freePort(),
      gateway: await freePort(),
      gatewayWebhook: await freePort(),
    };
    telegram = await startTelegramSandbox({});
    pakasir = await startPakasirSandbox({
      projects: {
        [project]: {
          apiKey: secrets.PAKASIR_API_KEY,
          webhookUrl: `http://127.0.0.1:${ports.ordersWebhook}/webhooks/pakasir/${secrets.PAKASIR_WEBHOOK_SECRET}`,
        },
      },
    });
    const adminId = newUserId();
    const running = new RunningSystem({
      tag,
      logDir,
      pidFile: path.join(logDir, 'pids'),
      ports,
      tokens: {
        gateway: secrets.GATEWAY_API_TOKEN,
        worker: secrets.WORKER_API_TOKEN,
        orders: secrets.ORDERS_API_TOKEN,
        metrics: secrets.METRICS_API_TOKEN,
      },
      logLevel: options.logLevel ?? 'info',
      temporalAddress: options.temporalAddress ?? process.env.TEMPORAL_ADDRESS!,
      telegramUrl: telegram.url,
      pakasirUrl: pakasir.url,
      pakasir: {
        project,
        apiKey: secrets.PAKASIR_API_KEY,
        webhookSecret: secrets.PAKASIR_WEBHOOK_SECRET,
      },
      adminId,
      gatewayMode: options.gatewayMode ?? 'polling',
      botToken: secrets.TELEGRAM_BOT_TOKEN,
      webhookSecret: secrets.TELEGRAM_WEBHOOK_SECRET,
      databaseUrl,
      auditDatabaseUrl,
      extraEnv: options.env,
    });
    system = running;
    process.once('exit', () => running.killNow());
    await running.start();
    const urls = running.urls();
    // The worker's /health answers while it still bundles its workflows and connects (chaos restarts
    // want that); a test's first press must find it polling, or the press waits on the worker's start
    // (1.7 s on a quiet machine, past checkout's 3 s with two suites running) and is answered "busy".
    await eventually(
      () =>
        fetch(`${urls.worker}/ready`, { headers: internalAuthHeader(secrets.METRICS_API_TOKEN) })
          .then((r) => r.status)
          .catch(() => 0),
      (status) => status === 200,
      'the worker ready (/ready)',
      60_000,
    );
    const token = secrets.GATEWAY_API_TOKEN;
    return {
      system: running,
      urls,
      secrets,
      token,
      metricsToken: secrets.METRICS_API_TOKEN,
      project,
      adminId,
      telegram,
      pakasir,
      catalog: new CatalogClient({ baseUrl: urls.catalog, token }),
      orders: new OrdersClient({ baseUrl: urls.orders, token }),
      worker: new OrdersClient({ baseUrl: urls.orders, token: secrets.WORKER_API_TOKEN }),
      databaseUrl,
      auditDatabaseUrl,
      logDir,
      redisPrefix: `bench:${tag}:`,
      readLogs: () => readLogs(logDir),
      close,
    };
  } catch (error) {
    await close({ keepLogs: true });
    throw error;
  }
}

/** One JSON log line as an object; undefined for a line that is not JSON. */
export function parseLogLine(line: string): Record<string, unknown> | undefined {
  try {
    return JSON.parse(line) as Record<string, unknown>;
  } catch {
    return undefined;
  }
}

function readLogs(logDir: string): Record<string, string[]> {
  return Object.fromEntries(
    readdirSync(logDir)
      .filter((f) => f.endsWith('.log'))
      .map((f) => [
        f.slice(0, -'.log'.length),
        readFileSync(path.join(logDir, f), 'utf8')
          .split('\n')
          .filter((l) => l.trim() !== ''),
      ]),
  );
}

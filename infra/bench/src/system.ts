import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { randomInt } from 'node:crypto';
import { appendFileSync, closeSync, openSync, readFileSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import path from 'node:path';
import { serviceTokenEnvFor, type ServiceTokens } from '@quickcart/kit';
import { createClient } from 'redis';
import { RoundRobinProxy } from './round-robin';
import { sleep } from './stats';

export const ROOT = path.resolve(__dirname, '../../..');

export interface SystemSettings {
  tag: string;
  logDir: string;
  /** Where run.sh wants the pids, so its trap can end them if this process dies first. */
  pidFile: string;
  /**
   * Internal APIs, and the public listeners: orders' Pakasir webhook, the gateway's Telegram webhook.
   * The worker's listener and the Temporal SDK's metrics port are free ports found at start unless given.
   */
  ports: {
    catalog: number;
    orders: number;
    ordersWebhook: number;
    gateway: number;
    gatewayWebhook: number;
    worker?: number;
    workerSdkMetrics?: number;
  };
  /** Each caller's token; every process gets what it reads of them (SERVICE_TOKEN_VARIABLES). */
  tokens: ServiceTokens;
  /** Default 'warn'. */
  logLevel?: string;
  temporalAddress: string;
  telegramUrl: string;
  pakasirUrl: string;
  pakasir: { project: string; apiKey: string; webhookSecret: string };
  adminId: number;
  gatewayMode: 'polling' | 'webhook';
  /** TELEGRAM_BOT_TOKEN; default 'bench-token'. */
  botToken?: string;
  /** TELEGRAM_WEBHOOK_SECRET in webhook mode; default `bench-webhook-<tag>`. */
  webhookSecret?: string;
  databaseUrl: string;
  auditDatabaseUrl: string;
  /** More environment for one process (a test's fault switch), over what start() gives it. */
  extraEnv?: Partial<Record<ProcessName, Record<string, string>>>;
  /**
   * Copies of each process (default 1). With more, `ports` (but the worker's) are round-robin proxies'
   * (round-robin.ts) in front of the copies, each on free ports of its own: every caller (the gateway,
   * orders, the worker, Telegram's and Pakasir's webhooks, the harness) reaches them through the proxy.
   * Needs the gateway in webhook mode: Telegram lets one poller per bot.
   */
  replicas?: number;
}

/** One copy's own ports. */
type ReplicaPorts = Required<SystemSettings['ports']>;

export type ProcessName = 'catalog' | 'orders' | 'gateway' | 'worker';
/** A second process of one kind (startCopy). */
export type CopyName = `${ProcessName}-${number}`;

/** How a process was started, so a test can start it again after killing it. */
interface Launch {
  script: string;
  env: Record<string, string>;
  healthUrl?: string;
}

/** Our four processes, each `node <dist>` as `npm start` runs them, with an environment of their own. */
export class RunningSystem {
  private readonly children = new Map<string, ChildProcess>();
  private readonly launches = new Map<string, Launch>();
  private readonly proxies: RoundRobinProxy[] = [];

  constructor(private readonly s: SystemSettings) {}

  /** Where the processes' logs go (and the run's full error list). */
  get logDir(): string {
    return this.s.logDir;
  }

  /** The names of one kind's copies: `gateway`, then `gateway-2`, `gateway-3`… */
  replicas(kind: ProcessName): (ProcessName | CopyName)[] {
    return Array.from({ length: this.s.replicas ?? 1 }, (_, i) => replicaName(kind, i));
  }

  urls() {
    const { ports } = this.s;
    return {
      /** The worker's internal listener (/health, /ready, /metrics); known once start() has run. */
      worker: `http://127.0.0.1:${ports.worker ?? 0}`,
      catalog: `http://127.0.0.1:${ports.catalog}`,
      orders: `http://127.0.0.1:${ports.orders}`,
      gateway: `http://127.0.0.1:${ports.gateway}`,
      ordersWebhook: `http://127.0.0.1:${ports.ordersWebhook}`,
      gatewayWebhook: `http://127.0.0.1:${ports.gatewayWebhook}`,
    };
  }

  pids(): Record<string, number> {
    return Object.fromEntries([...this.children].map(([name, child]) => [name, child.pid!]));
  }

  async start(): Promise<void> {
    const s = this.s;
    await requireRedis(TEST_REDIS_URL());
    const n = s.replicas ?? 1;
    if (n > 1 && s.gatewayMode !== 'webhook')
      throw new Error('replicas need the gateway in webhook mode: Telegram lets one poller per bot');
    // Two systems on one machine (parallel test suites, a bench beside npm start) never share a port.
    const copies: ReplicaPorts[] = [];
    for (let i = 0; i < n; i++) {
      const own = n === 1 ? s.ports : await freePorts();
      own.worker ??= await freePort();
      own.workerSdkMetrics ??= await freePort();
      copies.push(own as ReplicaPorts);
    }
    s.ports.worker = copies[0]!.worker;
    if (n > 1) {
      for (const key of ['catalog', 'orders', 'gateway', 'ordersWebhook', 'gatewayWebhook'] as const) {
        const proxy = new RoundRobinProxy(copies.map((c) => c[key]));
        await proxy.listen(s.ports[key]);
        this.proxies.push(proxy);
      }
    }
    const urls = this.urls();
    // Only what we set: a developer's .env or shell must not change what is measured.
    const common = {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      HOME: process.env.HOME ?? '/tmp',
      LOG_LEVEL: s.logLevel ?? 'warn',
      DATABASE_URL: s.databaseUrl,
      AUDIT_DATABASE_URL: s.auditDatabaseUrl,
      TEMPORAL_ADDRESS: s.temporalAddress,
      PAYMENTS_TASK_QUEUE: `bench-${s.tag}`,
      CATALOG_URL: urls.catalog,
      ORDERS_URL: urls.orders,
      GATEWAY_URL: urls.gateway,
      PAKASIR_BASE_URL: s.pakasirUrl,
      PAKASIR_PROJECT: s.pakasir.project,
      PAKASIR_API_KEY: s.pakasir.apiKey,
      PAKASIR_WEBHOOK_SECRET: s.pakasir.webhookSecret,
      ADMIN_IDS: String(s.adminId),
    };
    const health = (port: number) => `http://127.0.0.1:${port}/health`;
    // Catalog first: the others read from it.
    for (const [i, p] of copies.entries())
      await this.launch('catalog', i, 'services/catalog/dist/main.js', health(p.catalog), {
        ...common,
        ...serviceTokenEnvFor('catalog', s.tokens),
        CATALOG_PORT: String(p.catalog),
      });
    for (const [i, p] of copies.entries())
      await this.launch('orders', i, 'services/orders/dist/main.js', health(p.orders), {
        ...common,
        ...serviceTokenEnvFor('orders', s.tokens),
        ORDERS_PORT: String(p.orders),
        PAKASIR_WEBHOOK_PORT: String(p.ordersWebhook),
        PAYMENT_TIMEOUT: '10m',
        PAYMENT_POLL_INTERVAL: '60s',
      });
    for (const [i, p] of copies.entries())
      await this.launch('gateway', i, 'services/gateway/dist/main.js', health(p.gateway), {
        ...common,
        ...serviceTokenEnvFor('gateway', s.tokens),
        GATEWAY_PORT: String(p.gateway),
        TELEGRAM_WEBHOOK_PORT: String(p.gatewayWebhook),
        TELEGRAM_BOT_TOKEN: s.botToken ?? 'bench-token',
        TELEGRAM_API_ROOT: s.telegramUrl,
        REDIS_URL: TEST_REDIS_URL(),
        REDIS_KEY_PREFIX: `bench:${s.tag}:`,
        // Simulated customers press far faster than people; the per-update limit check still runs.
        RATE_LIMIT_PER_MINUTE: '100000',
        ...(s.gatewayMode === 'webhook' && {
          // Every copy registers the same URL: the proxy's when there are several.
          TELEGRAM_WEBHOOK_URL: urls.gatewayWebhook,
          TELEGRAM_WEBHOOK_SECRET: s.webhookSecret ?? `bench-webhook-${s.tag}`,
        }),
      });
    // Its listener answers /health from the start, before it reaches Temporal (a chaos restart with
    // Temporal down must not wait on it); the warm-up purchase shows it works. TELEGRAM_RATE_PER_SECOND:
    // default.
    for (const [i, p] of copies.entries())
      await this.launch('worker', i, 'workflows/dist/worker/main.js', health(p.worker), {
        ...common,
        ...serviceTokenEnvFor('worker', s.tokens),
        WORKER_PORT: String(p.worker),
        TEMPORAL_METRICS_PORT: String(p.workerSdkMetrics),
      });
  }

  private async launch(
    kind: ProcessName,
    copy: number,
    script: string,
    healthUrl: string | undefined,
    env: Record<string, string>,
  ) {
    const name = replicaName(kind, copy);
    const launch = { script, healthUrl, env: { ...env, ...this.s.extraEnv?.[kind] } };
    this.launches.set(name, launch);
    await this.spawn(name, launch.script, launch.env);
    if (healthUrl) await this.waitHealthy(name, healthUrl);
  }

  /** Ends one process at once with SIGKILL, as a crash would: none of its shutdown code runs. */
  async kill(name: ProcessName | CopyName): Promise<void> {
    await this.signal(name, 'SIGKILL');
  }

  /** SIGTERM, as a deploy stops a process, and waits until it has exited by itself. */
  async terminate(name: ProcessName | CopyName): Promise<void> {
    await this.signal(name, 'SIGTERM');
  }

  private async signal(name: string, signal: NodeJS.Signals): Promise<void> {
    const child = this.children.get(name);
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const gone = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill(signal);
    await gone;
  }

  /**
   * A second process of one kind (`gateway-2`), started as the first was with `env` over its
   * environment (its own ports), and waited until healthy at `healthUrl`.
   */
  async startCopy(
    name: ProcessName,
    copy: CopyName,
    env: Record<string, string>,
    healthUrl?: string,
  ): Promise<void> {
    const launch = this.launches.get(name);
    if (!launch) throw new Error(`${name} was never started`);
    const copied = { script: launch.script, healthUrl, env: { ...launch.env, ...env } };
    this.launches.set(copy, copied);
    await this.spawn(copy, copied.script, copied.env);
    if (healthUrl) await this.waitHealthy(copy, healthUrl);
  }

  /**
   * Starts one process again as start() did, with `env` changed (undefined removes a variable), and
   * waits until it is healthy; one still running is killed first. Its log goes on in the same file.
   */
  async restart(name: ProcessName | CopyName, env: Record<string, string | undefined> = {}): Promise<void> {
    const launch = this.launches.get(name);
    if (!launch) throw new Error(`${name} was never started`);
    await this.kill(name);
    const changed = { ...launch.env, ...env };
    for (const [key, value] of Object.entries(changed)) if (value === undefined) delete changed[key];
    launch.env = changed as Record<string, string>;
    await this.spawn(name, launch.script, launch.env, 'a');
    if (launch.healthUrl) await this.waitHealthy(name, launch.healthUrl);
  }

  private async spawn(name: string, script: string, env: Record<string, string>, flags = 'w'): Promise<void> {
    const log = openSync(path.join(this.s.logDir, `${name}.log`), flags);
    // BENCH_PROFILE=gateway,worker: a V8 CPU profile of those processes, written when they stop.
    const profile = (process.env.BENCH_PROFILE ?? '').split(',').includes(name)
      ? [
          '--cpu-prof',
          `--cpu-prof-dir=${path.join(this.s.logDir, 'profiles')}`,
          `--cpu-prof-name=${name}.cpuprofile`,
        ]
      : [];
    const child = spawn(process.execPath, [...profile, path.join(ROOT, script)], {
      cwd: ROOT,
      env,
      stdio: ['ignore', log, log],
    });
    closeSync(log);
    this.children.set(name, child);
    appendFileSync(this.s.pidFile, `${child.pid}\n`);
  }

  private async waitHealthy(name: string, url: string): Promise<void> {
    const child = this.children.get(name)!;
    for (let i = 0; i < 240; i++) {
      if (child.exitCode !== null) break;
      const ok = await fetch(url, { signal: AbortSignal.timeout(1000) }).then(
        (r) => r.ok,
        () => false,
      );
      if (ok) return;
      await sleep(250);
    }
    const tail = readFileSync(path.join(this.s.logDir, `${name}.log`), 'utf8')
      .split('\n')
      .slice(-15);
    throw new Error(`${name} did not become healthy; last log lines:\n${tail.join('\n')}`);
  }

  /** Names of processes that have exited on their own (a crash under load is an error). */
  exited(): string[] {
    return [...this.children].filter(([, c]) => c.exitCode !== null || c.signalCode !== null).map(([n]) => n);
  }

  /** SIGTERM, a grace period for the SDK to drain, then SIGKILL: nothing outlives the bench. */
  async stop(graceMs = 8000): Promise<void> {
    const alive = [...this.children.values()].filter((c) => c.exitCode === null && c.signalCode === null);
    const gone = alive.map((c) => new Promise<void>((resolve) => c.once('exit', () => resolve())));
    for (const c of alive) c.kill('SIGTERM');
    // A timer cleared once all are gone: a pending one would keep a test runner alive for graceMs.
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<'timeout'>(
      (resolve) => (timer = setTimeout(() => resolve('timeout'), graceMs)),
    );
    const outcome = await Promise.race([Promise.all(gone), timeout]);
    clearTimeout(timer);
    if (outcome === 'timeout') {
      for (const c of alive) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
      await Promise.all(gone);
    }
    await Promise.all(this.proxies.splice(0).map((p) => p.close()));
  }

  /** Synchronous last resort for process.on('exit'). */
  killNow(): void {
    for (const c of this.children.values())
      if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  }
}

/** The first copy keeps the plain name (its log is `gateway.log`); the others are `gateway-2`… */
const replicaName = (kind: ProcessName, i: number): ProcessName | CopyName =>
  i === 0 ? kind : `${kind}-${i + 1}`;

/** A copy's listeners, each on a free port. */
async function freePorts(): Promise<SystemSettings['ports']> {
  return {
    catalog: await freePort(),
    orders: await freePort(),
    ordersWebhook: await freePort(),
    gateway: await freePort(),
    gatewayWebhook: await freePort(),
  };
}

/**
 * A local port nothing listens on, for a process that must be told its port before it starts. Chosen
 * below the kernel's ephemeral range: a port that listen(0) hands out is one an outgoing connection (to
 * PostgreSQL, Redis, Temporal) may take as its own local port before the process binds it, and a start
 * then failed with EADDRINUSE now and then (qr-deferral.e2e, on a busy machine).
 */
export async function freePort(): Promise<number> {
  const low = ephemeralLow();
  const from = Math.max(1024, low - 12_000);
  for (let i = 0; i < 100; i++) {
    const port = randomInt(from, low);
    if (await bindable(port)) return port;
  }
  return bindable(0) as Promise<number>;
}

/** The first port of Linux's ephemeral range (32768 when it cannot be read). */
function ephemeralLow(): number {
  try {
    const low = Number(readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/)[0]);
    return Number.isInteger(low) && low > 2048 ? low : 32_768;
  } catch {
    return 32_768;
  }
}

/** The port if it could be bound on 127.0.0.1 just now (0: the one the kernel chose); false if taken. */
function bindable(port: number): Promise<number | false> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => {
      const { port: bound } = server.address() as { port: number };
      server.close(() => resolve(bound));
    });
  });
}

/** The Redis the bench, chaos and the end-to-end tests use: REDIS_URL, else the one on the default port. */
export const TEST_REDIS_URL = () => process.env.REDIS_URL || 'redis://127.0.0.1:6379';

/**
 * Fails at once, saying what is missing, when nothing accepts connections at `url`: a gateway told to
 * use a Redis that is not there waits for it, so a system started without one would only time out.
 */
export async function requireRedis(url: string, timeoutMs = 2_000): Promise<void> {
  const { hostname, port } = new URL(url);
  const where = `${hostname}:${port || 6379}`;
  const answered = await new Promise<boolean>((resolve) => {
    const socket = connect(Number(port || 6379), hostname.replace(/^\[|\]$/g, ''));
    socket.setTimeout(timeoutMs, () => socket.destroy(new Error('timeout')));
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
  if (!answered) {
    throw new Error(
      `no Redis answers at ${where}: the end-to-end tests, the bench and chaos need one (REDIS_URL names ` +
        `another; \`npm start\` runs without it). Start one, e.g. redis-server --port 6379 --save ''`,
    );
  }
}

/** The Redis keys a RunningSystem's gateway wrote (prefix `bench:<tag>:`; 24 h TTLs otherwise). */
export async function forgetRedisKeys(tag: string): Promise<void> {
  const client = createClient({ url: TEST_REDIS_URL() });
  await client.connect();
  try {
    for await (const keys of client.scanIterator({ MATCH: `bench:${tag}:*`, COUNT: 1000 })) {
      if (keys.length > 0) await client.del(keys);
    }
  } finally {
    await client.quit();
  }
}

/** The commit the figures were measured on, `-dirty` with uncommitted changes. */
export function gitCommit(): string {
  const git = (...a: string[]) => execFileSync('git', a, { cwd: ROOT, encoding: 'utf8' }).trim();
  try {
    return git('rev-parse', '--short', 'HEAD') + (git('status', '--porcelain') ? '-dirty' : '');
  } catch {
    return 'unknown';
  }
}

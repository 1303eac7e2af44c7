import { startCatalog } from '@quickcart/catalog/app';
import { CatalogClient } from '@quickcart/catalog/client';
import { createTestDatabase } from '@quickcart/db';
import {
  generateServiceTokens,
  internalAuthHeader,
  serviceTokenEnv,
  type RegisteredRoute,
  type ServiceTokens,
} from '@quickcart/kit';
import { startPakasirSandbox, type PakasirSandbox } from '@quickcart/sandbox';
import { Client, Connection } from '@temporalio/client';
import { Client as PgClient } from 'pg';
import { startOrders } from '../src/app';
import { OrdersClient } from '../src/client';
import { ordersConfigSchema } from '../src/config';
import { startOpeningWorker } from './opening-worker';

export const PROJECT = 'qc-test';
export const API_KEY = 'test-key';
export const WEBHOOK_SECRET = 'test-webhook-secret-0123';
export const ADMIN_ID = 1;

let counter = 0;
const unique = (prefix: string) => `${prefix}-${process.pid}-${Date.now().toString(36)}-${++counter}`;

export interface TestStack {
  /** Orders as the gateway calls it (customers' and admins' requests). */
  orders: OrdersClient;
  /** Orders as the worker calls it (order status, ledger postings, late payments, broadcasts' sends). */
  worker: OrdersClient;
  /** Catalog as the gateway calls it (an admin's products and stock, the shop's pages). */
  catalog: CatalogClient;
  /** Catalog's reservations, as orders calls them. */
  reservations: CatalogClient;
  /** The internal APIs. */
  ordersUrl: string;
  catalogUrl: string;
  /** Orders' public listener (the Pakasir webhook). */
  webhookUrl: string;
  /** Each caller's token (GATEWAY_API_TOKEN, …); every service gets all of them and their digests. */
  tokens: ServiceTokens;
  /** What each service serves, on which listener (for the route-by-route security test). */
  routes: Record<'catalog' | 'orders', { internal: RegisteredRoute[]; public: RegisteredRoute[] }>;
  sandbox: PakasirSandbox;
  temporal: Client;
  taskQueue: string;
  /** SQL on the main database and on the audit database. */
  sql: <T = Record<string, unknown>>(text: string, params?: unknown[]) => Promise<T[]>;
  auditSql: <T = Record<string, unknown>>(text: string, params?: unknown[]) => Promise<T[]>;
  close: () => Promise<void>;
}

/**
 * Catalog and orders on fresh databases, the Pakasir sandbox (webhook pointed at orders) and a client of
 * the dev server jest's global setup started. Workflows go to a task queue of this stack's own.
 */
export async function startTestStack(
  o: {
    paymentTimeout?: string;
    pollInterval?: string;
    /** More orders settings (environment variable names), over this stack's. */
    orders?: Record<string, string>;
    /**
     * Who serves the stack's task queue: by default a worker that only opens the orders of presses
     * (opening-worker.ts: an order then stays pending until the test moves it); `none` for a caller that
     * runs the real worker itself (the end-to-end systems).
     */
    worker?: 'opening-only' | 'none';
    /**
     * For a restore test: these databases (kept on close), this Temporal, this task queue and this
     * Pakasir sandbox (left running on close) instead of fresh ones and jest's dev server.
     */
    reuse?: {
      databaseUrl: string;
      auditDatabaseUrl: string;
      temporalAddress: string;
      taskQueue: string;
      sandbox: PakasirSandbox;
      tokens: ServiceTokens;
    };
  } = {},
): Promise<TestStack> {
  const kept = (url: string) => ({ url, drop: async () => {} });
  const db = o.reuse ? kept(o.reuse.databaseUrl) : await createTestDatabase('stack');
  const auditDb = o.reuse ? kept(o.reuse.auditDatabaseUrl) : await createTestDatabase('audit');
  const temporalAddress = o.reuse?.temporalAddress ?? process.env.TEMPORAL_ADDRESS;
  const tokens = o.reuse?.tokens ?? generateServiceTokens();
  const catalog = await startCatalog({
    CATALOG_PORT: 0,
    BIND_HOST: '127.0.0.1',
    ...serviceTokenEnv(tokens),
    DATABASE_URL: db.url,
    AUDIT_DATABASE_URL: auditDb.url,
    CATALOG_DB_POOL_MAX: 10,
    LOG_LEVEL: 'silent',
    QC_FAULT_HOLD: new Set(),
  });
  const sandbox =
    o.reuse?.sandbox ?? (await startPakasirSandbox({ projects: { [PROJECT]: { apiKey: API_KEY } } }));
  const taskQueue = o.reuse?.taskQueue ?? unique('payments');
  const catalogUrl = `http://127.0.0.1:${catalog.port}`;
  const orders = await startOrders(
    ordersConfigSchema.parse({
      ORDERS_PORT: '0',
      PAKASIR_WEBHOOK_PORT: '0',
      PUBLIC_BIND_HOST: '127.0.0.1',
      ...serviceTokenEnv(tokens),
      DATABASE_URL: db.url,
      AUDIT_DATABASE_URL: auditDb.url,
      CATALOG_URL: catalogUrl,
      TEMPORAL_ADDRESS: temporalAddress,
      PAYMENTS_TASK_QUEUE: taskQueue,
      ADMIN_IDS: String(ADMIN_ID),
      PAKASIR_BASE_URL: sandbox.url,
      PAKASIR_PROJECT: PROJECT,
      PAKASIR_API_KEY: API_KEY,
      PAKASIR_WEBHOOK_SECRET: WEBHOOK_SECRET,
      PAYMENT_TIMEOUT: o.paymentTimeout ?? '10m',
      PAYMENT_POLL_INTERVAL: o.pollInterval ?? '60s',
      LOG_LEVEL: 'silent',
      // Orders' own notices (anti-fraud flags) go nowhere unless a test gives a recorder: never to a
      // gateway that happens to listen on the default port.
      GATEWAY_URL: 'http://127.0.0.1:9',
      // Generous: a press waits for its run to open the order, which on a loaded 2-core machine running
      // jest's workers side by side can take seconds. The busy answer has its own tests, with 3 s.
      CHECKOUT_TIMEOUT: '20s',
      // The admins' digest goes every second in tests (30 s in production): tests wait for what it tells.
      ADMIN_DIGEST_SECONDS: '1',
      ...o.orders,
    }),
  );
  const ordersUrl = `http://127.0.0.1:${orders.port}`;
  const webhookUrl = `http://127.0.0.1:${orders.webhookPort}`;
  sandbox.setWebhookUrl(PROJECT, `${webhookUrl}/webhooks/pakasir/${WEBHOOK_SECRET}`);
  const connection = await Connection.connect({ address: temporalAddress });
  const opener =
    (o.worker ?? 'opening-only') === 'opening-only'
      ? await startOpeningWorker({
          temporalAddress,
          taskQueue,
          ordersUrl,
          catalogUrl,
          pakasirUrl: sandbox.url,
          project: PROJECT,
          apiKey: API_KEY,
          workerToken: tokens.worker,
        })
      : undefined;
  const pg = new PgClient({ connectionString: db.url });
  const audit = new PgClient({ connectionString: auditDb.url });
  await pg.connect();
  await audit.connect();
  return {
    // Generous: on a loaded 2-core machine a checkout waiting out Temporal's 3 s deadlines can pass 10 s.
    orders: new OrdersClient({ baseUrl: ordersUrl, token: tokens.gateway, timeoutMs: 30_000 }),
    worker: new OrdersClient({ baseUrl: ordersUrl, token: tokens.worker, timeoutMs: 30_000 }),
    catalog: new CatalogClient({ baseUrl: catalogUrl, token: tokens.gateway }),
    reservations: new CatalogClient({ baseUrl: catalogUrl, token: tokens.orders }),
    ordersUrl,
    catalogUrl,
    webhookUrl,
    tokens,
    routes: { catalog: catalog.routes, orders: orders.routes },
    sandbox,
    temporal: new Client({ connection }),
    taskQueue,
    sql: async (text, params) => (await pg.query(text, params as unknown[])).rows,
    auditSql: async (text, params) => (await audit.query(text, params as unknown[])).rows,
    close: async () => {
      await opener?.stop();
      await pg.end();
      await audit.end();
      await connection.close();
      await orders.close();
      await catalog.close();
      if (!o.reuse) await sandbox.close();
      await db.drop();
      await auditDb.drop();
    },
  };
}

/** Posts raw bodies, for inputs the typed client would not send; with `token`, as one of our services. */
export async function post(
  url: string,
  body: string | object,
  token?: string,
): Promise<{ status: number; body: any }> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? internalAuthHeader(token) : {}) },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined };
}

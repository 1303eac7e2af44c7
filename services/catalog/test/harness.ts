import { createTestDatabase } from '@quickcart/db';
import {
  generateServiceTokens,
  internalAuthHeader,
  serviceTokenEnv,
  type Caller,
  type ServiceTokens,
} from '@quickcart/kit';
import { Client } from 'pg';
import { startCatalog } from '../src/app';
import { CatalogClient } from '../src/client';

export interface TestCatalog {
  /** As the gateway calls it: reads and the admin's writes. */
  client: CatalogClient;
  /** As the worker calls it: reserve, commit, release, the goods. */
  worker: CatalogClient;
  /** As orders calls it: reserve, release, the held reservations. */
  orders: CatalogClient;
  baseUrl: string;
  /** Each caller's token. */
  tokens: ServiceTokens;
  /** Direct SQL on the test database, to check effects rather than trust answers. */
  sql: <T = Record<string, unknown>>(text: string, params?: unknown[]) => Promise<T[]>;
  /** A raw HTTP call with a caller's token (the gateway's unless named), for inputs the typed client would not let us send. */
  raw: (
    method: string,
    path: string,
    body?: string | object,
    as?: Caller,
  ) => Promise<{ status: number; body: any }>;
  close: () => Promise<void>;
}

/** A catalog service on a random port over its own fresh database. */
export async function startTestCatalog(): Promise<TestCatalog> {
  const db = await createTestDatabase('catalog');
  const tokens = generateServiceTokens();
  const catalog = await startCatalog({
    CATALOG_PORT: 0,
    BIND_HOST: '127.0.0.1',
    ...serviceTokenEnv(tokens),
    DATABASE_URL: db.url,
    AUDIT_DATABASE_URL: db.url,
    CATALOG_DB_POOL_MAX: 10,
    LOG_LEVEL: 'silent',
    QC_FAULT_HOLD: new Set(),
  });
  const baseUrl = `http://127.0.0.1:${catalog.port}`;
  const pg = new Client({ connectionString: db.url });
  await pg.connect();
  return {
    client: new CatalogClient({ baseUrl, token: tokens.gateway }),
    worker: new CatalogClient({ baseUrl, token: tokens.worker }),
    orders: new CatalogClient({ baseUrl, token: tokens.orders }),
    baseUrl,
    tokens,
    sql: async (text, params) => (await pg.query(text, params as unknown[])).rows,
    raw: async (method, path, body, as = 'gateway') => {
      const res = await fetch(baseUrl + path, {
        method,
        headers: {
          ...internalAuthHeader(tokens[as]),
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
      });
      const text = await res.text();
      return { status: res.status, body: text ? JSON.parse(text) : undefined };
    },
    close: async () => {
      await pg.end();
      await catalog.close();
      await db.drop();
    },
  };
}

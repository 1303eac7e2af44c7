import { execFileSync } from 'node:child_process';
import path from 'node:path';
import type { EmbeddedPostgresProcess } from './embedded-postgres-process';

/** Stops the dev server and the embedded PostgreSQL that global-setup started (if it started them). */
export default async function globalTeardown(): Promise<void> {
  await (globalThis as { qcEmbeddedPostgres?: EmbeddedPostgresProcess }).qcEmbeddedPostgres?.stop();
  const port = process.env.QC_TEST_STARTED_TEMPORAL_PORT;
  if (!port) return;
  execFileSync('bash', [path.resolve(__dirname, '../temporal/temporal.sh'), 'stop', '--port', port], {
    stdio: 'inherit',
  });
}

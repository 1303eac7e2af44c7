import { execFileSync } from 'node:child_process';
import path from 'node:path';
import type { EmbeddedPostgresProcess } from './embedded-postgres-process';

/** Stops the dev server and the embedded PostgreSQL that global-setup started (if it started them). */
export default async function globalTeardown(): Promise<void> {
  // Temporal first: stopping PostgreSQL can end this process (a test that failed half-way may leave a
  // connection open, whose "terminating connection" error nobody handles), and the server must not
  // outlive the run.
  const port = process.env.QC_TEST_STARTED_TEMPORAL_PORT;
  if (port) {
    execFileSync('bash', [path.resolve(__dirname, '../temporal/temporal.sh'), 'stop', '--port', port], {
      stdio: 'inherit',
    });
  }
  await (globalThis as { qcEmbeddedPostgres?: EmbeddedPostgresProcess }).qcEmbeddedPostgres?.stop();
}

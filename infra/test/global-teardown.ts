import { execFileSync } from 'node:child_process';
import path from 'node:path';

/** Stops the dev server that global-setup started (if it started one). */
export default async function globalTeardown(): Promise<void> {
  const port = process.env.QC_TEST_STARTED_TEMPORAL_PORT;
  if (!port) return;
  execFileSync('bash', [path.resolve(__dirname, '../temporal/temporal.sh'), 'stop', '--port', port], {
    stdio: 'inherit',
  });
}

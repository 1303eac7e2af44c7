import { execFileSync, spawnSync } from 'node:child_process';
import path from 'node:path';
import {
  answers,
  startEmbeddedPostgresProcess,
  type EmbeddedPostgresProcess,
} from './embedded-postgres-process';

const script = path.resolve(__dirname, '../temporal/temporal.sh');

/**
 * Before any test file: make sure the Temporal binaries exist (installing them on a new machine) and,
 * unless TEMPORAL_ADDRESS points at one already, start a headless in-memory dev server through the
 * same infra script that `npm start` uses; with no PostgreSQL to use, start the embedded one. Values
 * reach test files through process.env.
 */
export default async function globalSetup(): Promise<void> {
  const out = execFileSync('bash', [script, 'ensure'], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  for (const line of out.split('\n')) {
    const [key, value] = line.split('=', 2);
    if (key && value) process.env[key] ??= value;
  }
  // PostgreSQL as `npm test` finds it (infra/scripts/test.sh): PG_TEST_URL or the one on 5432, else the
  // embedded one, for a jest run started directly (packages/db testServerUrl reads no DATABASE_URL).
  if (!process.env.PG_TEST_URL && !(await answers(5432))) {
    const postgres = await startEmbeddedPostgresProcess(path.resolve(__dirname, '../../.data/postgres-test'));
    process.env.PG_TEST_URL = postgres.url;
    (globalThis as { qcEmbeddedPostgres?: EmbeddedPostgresProcess }).qcEmbeddedPostgres = postgres;
  }
  if (!process.env.TEMPORAL_ADDRESS) {
    const port = process.env.TEMPORAL_TEST_PORT ?? '17233';
    const log = spawnSync(
      'bash',
      [script, 'start', '--port', port, '--headless', '--db-filename', 'memory'],
      {
        stdio: ['ignore', 'inherit', 'pipe'],
        encoding: 'utf8',
      },
    );
    process.stderr.write(log.stderr);
    if (log.status !== 0) {
      // jest runs no teardown after a failed setup: the embedded server started above stops here.
      await (globalThis as { qcEmbeddedPostgres?: EmbeddedPostgresProcess }).qcEmbeddedPostgres?.stop();
      throw new Error(`temporal.sh start exited ${log.status}`);
    }
    process.env.TEMPORAL_ADDRESS = `127.0.0.1:${port}`;
    // A server another jest run started is that run's to stop: stopping it would break its tests.
    if (!log.stderr.includes('already running')) process.env.QC_TEST_STARTED_TEMPORAL_PORT = port;
  }
}

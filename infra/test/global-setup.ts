import { execFileSync, spawnSync } from 'node:child_process';
import path from 'node:path';

const script = path.resolve(__dirname, '../temporal/temporal.sh');

/**
 * Before any test file: make sure the Temporal binaries exist (installing them on a new machine) and,
 * unless TEMPORAL_ADDRESS points at one already, start a headless in-memory dev server through the
 * same infra script that `npm start` uses. Values reach test files through process.env.
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
    if (log.status !== 0) throw new Error(`temporal.sh start exited ${log.status}`);
    process.env.TEMPORAL_ADDRESS = `127.0.0.1:${port}`;
    // A server another jest run started is that run's to stop: stopping it would break its tests.
    if (!log.stderr.includes('already running')) process.env.QC_TEST_STARTED_TEMPORAL_PORT = port;
  }
}

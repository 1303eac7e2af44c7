import { execFileSync, spawn } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '../..');
const MAIN = path.join(ROOT, 'infra/embedded-postgres/dist/main.js');

/** Whether a server accepts connections on 127.0.0.1:`port`. */
export function answers(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

export interface EmbeddedPostgresProcess {
  /** Its `postgres` database. */
  url: string;
  port: number;
  pid: number;
  stop: () => Promise<void>;
}

/**
 * The embedded PostgreSQL as `npm start` and `npm test` run it (infra/embedded-postgres/dist/main.js,
 * built here), with its data in `dataDir`, on `port` or a free one: resolves once it
 * accepts connections. (The embedded-postgres package is an ES module, which jest's CommonJS runtime
 * cannot load: it runs in its own process, as it does for the scripts.)
 */
export async function startEmbeddedPostgresProcess(
  dataDir: string,
  options: { port?: number; timeoutMs?: number } = {},
): Promise<EmbeddedPostgresProcess> {
  // Built every time (a no-op when it is current): a test runs what the sources say, not a stale dist.
  execFileSync('npx', ['tsc', '-b', 'infra/embedded-postgres'], { cwd: ROOT });
  const urlFile = `${dataDir}.url`;
  rmSync(urlFile, { force: true });
  const child = spawn(process.execPath, [MAIN, dataDir, urlFile], {
    env: { ...process.env, ...(options.port && { EMBEDDED_POSTGRES_PORT: String(options.port) }) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output = (output + chunk.toString()).slice(-4000)));
  child.stderr.on('data', (chunk: Buffer) => (output = (output + chunk.toString()).slice(-4000)));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const deadline = Date.now() + (options.timeoutMs ?? 120_000);
  while (!existsSync(urlFile) || !readFileSync(urlFile, 'utf8').trim()) {
    if (child.exitCode !== null || Date.now() > deadline) {
      child.kill('SIGTERM');
      throw new Error(`the embedded PostgreSQL did not start:\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  const url = readFileSync(urlFile, 'utf8').trim();
  return {
    url,
    port: Number(new URL(url).port),
    pid: child.pid!,
    stop: async () => {
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}

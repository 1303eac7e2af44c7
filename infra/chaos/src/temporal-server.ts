import { execFile } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { ROOT } from '../../bench/dist/system';

const run = promisify(execFile);

/**
 * The run's own Temporal dev server (run.sh started it on a database file), killed as a crash would
 * and started again by infra/temporal/temporal.sh on the same file, so workflows live on.
 */
export class TemporalServer {
  constructor(
    readonly port: number,
    private readonly dbFile: string,
  ) {}

  private pid(): number | undefined {
    try {
      return Number(readFileSync(this.pidFile(), 'utf8').trim());
    } catch {
      return undefined;
    }
  }

  /** When the server last went down and came up; processes that exit around then are not crashes. */
  private lastChange = 0;

  /** Up, and for long enough that our processes have reconnected. */
  steady(forMs = 15_000): boolean {
    return this.up && Date.now() - this.lastChange > forMs;
  }

  private up = true;

  /**
   * SIGKILL to the server's process group (temporal.sh starts it with setsid). Waits until it is reaped:
   * temporal.sh takes a pid that still answers `kill -0` (a zombie) for a running server and would not
   * start a new one, so the pid file goes once the process is dead.
   */
  async kill(): Promise<void> {
    const pid = this.pid();
    this.up = false;
    this.lastChange = Date.now();
    if (pid === undefined) return;
    try {
      process.kill(-pid, 'SIGKILL');
    } catch {
      // already gone
    }
    for (let i = 0; i < 50 && alive(pid); i++) await new Promise((resolve) => setTimeout(resolve, 100));
    rmSync(this.pidFile(), { force: true });
  }

  private pidFile(): string {
    return path.join(ROOT, '.data', 'temporal', `run-${this.port}`, 'pid');
  }

  async start(): Promise<void> {
    const script = path.join(ROOT, 'infra/temporal/temporal.sh');
    await run(
      'bash',
      [script, 'start', '--port', String(this.port), '--headless', '--db-filename', this.dbFile],
      {
        cwd: ROOT,
      },
    );
    if (!this.up) this.lastChange = Date.now();
    this.up = true;
  }
}

/** Running, and not a zombie waiting to be reaped. */
function alive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return false;
  }
}

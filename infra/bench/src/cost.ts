import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { testServerUrl } from '@quickcart/db';
import { Client } from 'pg';

const TICKS_PER_S = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;

/** utime + stime of one process in seconds, and its parent; undefined once it is gone. */
function procStat(pid: number, file = `/proc/${pid}/stat`): { cpuS: number; ppid: number } | undefined {
  try {
    const stat = readFileSync(file, 'utf8');
    // Fields after the command name, which may itself hold spaces and parentheses.
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return { cpuS: (Number(f[11]) + Number(f[12])) / TICKS_PER_S, ppid: Number(f[1]) };
  } catch {
    return undefined;
  }
}

/** VmHWM (peak resident set) of a process in MiB. */
export function peakRssMb(pid: number): number | undefined {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : undefined;
  } catch {
    return undefined;
  }
}

/** CPU seconds of a process's threads so far, summed by thread name (e.g. node's main thread vs tokio). */
export function threadCpuS(pid: number): Map<string, number> {
  const byName = new Map<string, number>();
  try {
    for (const tid of readdirSync(`/proc/${pid}/task`)) {
      const name = readFileSync(`/proc/${pid}/task/${tid}/comm`, 'utf8').trim().replace(/\d+$/, '#');
      const s = procStat(Number(tid), `/proc/${pid}/task/${tid}/stat`);
      if (s) byName.set(name, (byName.get(name) ?? 0) + s.cpuS);
    }
  } catch {
    // the process ended
  }
  return byName;
}

/** A process and every process below it (the Temporal CLI may fork). */
function withDescendants(root: number): number[] {
  const parents = new Map<number, number[]>();
  for (const name of readdirSync('/proc')) {
    const pid = Number(name);
    if (!Number.isInteger(pid)) continue;
    const s = procStat(pid);
    if (s) parents.set(s.ppid, [...(parents.get(s.ppid) ?? []), pid]);
  }
  const all = [root];
  for (let i = 0; i < all.length; i++) all.push(...(parents.get(all[i]!) ?? []));
  return all;
}

export type CpuSnapshot = Map<string, number>;

/**
 * CPU seconds per part of the system, read from /proc. Named processes (our node processes, the
 * Temporal server) are read at snapshot time. PostgreSQL backends serving the bench's databases are
 * found through pg_stat_activity and sampled every second, so a backend that ends between samples
 * loses at most its last second. Redis is one server shared with anything else on the machine: its CPU
 * is reported on its own line, never added to the system's.
 */
export class CpuMeter {
  private readonly backendCpu = new Map<number, number>();
  private timer?: NodeJS.Timeout;
  private pg?: Client;

  constructor(
    private readonly processes: Record<string, number>,
    private readonly databases: string[],
    private readonly redisPid: number | undefined,
  ) {}

  async start(): Promise<void> {
    this.pg = new Client({ connectionString: testServerUrl() });
    await this.pg.connect();
    await this.sampleBackends();
    this.timer = setInterval(() => void this.sampleBackends().catch(() => undefined), 1000);
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.pg?.end().catch(() => undefined);
  }

  private async sampleBackends(): Promise<void> {
    const { rows } = await this.pg!.query<{ pid: number }>(
      'SELECT pid FROM pg_stat_activity WHERE datname = ANY($1::text[])',
      [this.databases],
    );
    for (const { pid } of rows) {
      const s = procStat(pid);
      if (s) this.backendCpu.set(pid, s.cpuS);
    }
  }

  /** Cumulative CPU seconds so far: one entry per named process, `postgres` and `redis`. */
  async snapshot(): Promise<CpuSnapshot> {
    await this.sampleBackends().catch(() => undefined);
    const snap: CpuSnapshot = new Map();
    for (const [name, pid] of Object.entries(this.processes)) {
      const pids = name === 'temporal' ? withDescendants(pid) : [pid];
      // The copies of one process (`gateway-2`, …) count as that process: one part per kind.
      const kind = name.replace(/-\d+$/, '');
      snap.set(kind, (snap.get(kind) ?? 0) + pids.reduce((sum, p) => sum + (procStat(p)?.cpuS ?? 0), 0));
    }
    snap.set(
      'postgres',
      [...this.backendCpu.values()].reduce((a, b) => a + b, 0),
    );
    if (this.redisPid) snap.set('redis', procStat(this.redisPid)?.cpuS ?? 0);
    const own = process.cpuUsage();
    snap.set('harness', (own.user + own.system) / 1e6);
    snap.set('machine', machineBusyS());
    return snap;
  }

  /** Per process, CPU seconds by thread name over the whole run: where inside a process the time went. */
  threads(): Record<string, Record<string, number>> {
    return Object.fromEntries(
      Object.entries(this.processes).map(([name, pid]) => [name, Object.fromEntries(threadCpuS(pid))]),
    );
  }

  peakRss(): Record<string, number | undefined> {
    return Object.fromEntries(Object.entries(this.processes).map(([name, pid]) => [name, peakRssMb(pid)]));
  }
}

/** CPU seconds spent between two snapshots, per part. */
export function cpuDelta(before: CpuSnapshot, after: CpuSnapshot): Record<string, number> {
  return Object.fromEntries([...after].map(([name, s]) => [name, s - (before.get(name) ?? 0)]));
}

/** Busy CPU seconds of the whole machine (all cores), from /proc/stat: shows other load on it too. */
function machineBusyS(): number {
  const [, ...f] = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/);
  const [user, nice, system, , , irq, softirq, steal] = f.map(Number) as number[];
  return (user! + nice! + system! + irq! + softirq! + steal!) / TICKS_PER_S;
}

/** Not the system's own CPU: the shared Redis, the bench with its sandboxes, the machine as a whole. */
const NOT_SYSTEM = new Set(['redis', 'harness', 'machine']);

/** What counts as the system's CPU: our node processes, the Temporal server, our PostgreSQL backends. */
export const systemCpu = (delta: Record<string, number>): number =>
  Object.entries(delta)
    .filter(([name]) => !NOT_SYSTEM.has(name))
    .reduce((sum, [, s]) => sum + s, 0);

/** Machine CPU spent by neither the system, Redis nor the bench: other programs running meanwhile. */
export const otherCpu = (delta: Record<string, number>): number =>
  (delta.machine ?? 0) - systemCpu(delta) - (delta.redis ?? 0) - (delta.harness ?? 0);

/** The Redis server's pid, when one runs on this machine and /proc shows it. */
export function redisPid(): number | undefined {
  try {
    const out = execFileSync('pgrep', ['-x', 'redis-server'], { encoding: 'utf8' }).trim().split('\n');
    return out.length === 1 && out[0] ? Number(out[0]) : undefined;
  } catch {
    return undefined;
  }
}

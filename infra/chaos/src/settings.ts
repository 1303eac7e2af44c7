/** Sizes of one chaos run. Quick mode: a minute or two, every fault kind at least once. */
export interface ChaosSettings {
  mode: 'quick' | 'full';
  seed: number;
  /** How long customers shop and faults are injected; the drain comes after. */
  chaosMs: number;
  /** Customers buying through the orders API, and through the bot's buttons. */
  apiCustomers: number;
  botCustomers: number;
  /** Hostile updates sent over the run. */
  hostileUpdates: number;
  /** Mean pause between two faults. */
  faultEveryMs: number;
  /** The shop's payment window (orders' PAYMENT_TIMEOUT), short so the drain is quick. */
  paymentWindowMs: number;
  drainMs: number;
  keepDatabases: boolean;
  /**
   * Copies of each process (catalog, orders, gateway, worker) behind round-robin proxies in the harness;
   * above 1 the gateways take Telegram's webhook (one poller per bot) and a kill takes one copy.
   */
  replicas: number;
}

const QUICK: Omit<ChaosSettings, 'seed' | 'keepDatabases' | 'replicas'> = {
  mode: 'quick',
  chaosMs: 75_000,
  apiCustomers: 10,
  botCustomers: 3,
  hostileUpdates: 300,
  faultEveryMs: 2_500,
  paymentWindowMs: 20_000,
  // After a kill_all inside a 429 storm a payment's steps may each be waiting out a retry backoff of up
  // to a minute (Pakasir's create, then its cancel) around the 20 s window: 120 s was found too short once.
  drainMs: 180_000,
};

const FULL: Omit<ChaosSettings, 'seed' | 'keepDatabases' | 'replicas'> = {
  mode: 'full',
  chaosMs: 480_000,
  apiCustomers: 16,
  botCustomers: 6,
  hostileUpdates: 10_000,
  faultEveryMs: 3_000,
  paymentWindowMs: 20_000,
  drainMs: 180_000,
};

export function parseArgs(argv: string[]): ChaosSettings {
  let quick = false;
  let keepDatabases = false;
  let seed = Date.now() % 1_000_000;
  let replicas = 1;
  for (const arg of argv) {
    if (arg === '--quick') quick = true;
    else if (arg === '--keep-databases') keepDatabases = true;
    else if (/^--seed=\d+$/.test(arg)) seed = Number(arg.slice('--seed='.length));
    else if (/^--replicas=\d+$/.test(arg)) replicas = Number(arg.slice('--replicas='.length));
    else throw new Error(`unknown argument ${arg}; use --quick, --seed=N, --keep-databases, --replicas=N`);
  }
  if (replicas < 1 || replicas > 8) throw new Error(`--replicas=${replicas}: use 1 to 8, e.g. --replicas=2`);
  return { ...(quick ? QUICK : FULL), seed, keepDatabases, replicas };
}

/** A seeded generator (mulberry32): the same --seed makes the same choices in the same order. */
export class Random {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  }

  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)]!;
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  /** A weighted choice: `{ a: 3, b: 1 }` picks a three times as often as b. */
  weighted<K extends string>(weights: Record<K, number>): K {
    const entries = Object.entries(weights) as [K, number][];
    let r = this.next() * entries.reduce((sum, [, w]) => sum + w, 0);
    for (const [key, w] of entries) if ((r -= w) < 0) return key;
    return entries[entries.length - 1]![0];
  }

  /** A generator of its own, so one actor's choices do not shift another's. */
  fork(): Random {
    return new Random(Math.floor(this.next() * 4_294_967_296));
  }
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Counts by kind: faults injected, customer outcomes. */
export class Tally {
  readonly counts = new Map<string, number>();

  add(kind: string, n = 1): void {
    this.counts.set(kind, (this.counts.get(kind) ?? 0) + n);
  }

  get(kind: string): number {
    return this.counts.get(kind) ?? 0;
  }
}

import type { TelegramLimits } from '@quickcart/sandbox';

/**
 * The Telegram sandbox's limits in the bench (infra/bench/README.md): finite everywhere, the 15 s answer
 * window Telegram's own. The global rate is the 1,000 messages/s Telegram allows a bot with paid
 * broadcasts (the bench offers up to 500 updates/s). Per chat, 10/s after a burst of 10: a checkout
 * customer buys again the moment the goods arrive, four messages a purchase in one chat, which at
 * Telegram's 1/s would measure that limit instead of the system (1.8 against 3.2 purchases/s at c=8).
 */
export const BENCH_TELEGRAM_LIMITS: Partial<TelegramLimits> = {
  sendsPerSecond: 1000,
  chatSendsPerSecond: 10,
  chatBurst: 10,
};

/** Sizes of one run. Quick mode runs in CI so the bench never rots: seconds and small counts. */
export interface BenchSettings {
  mode: 'quick' | 'full';
  bot: {
    customers: number;
    rates: number[];
    warmupMs: number;
    measureMs: number;
    /** Customers in the closed loops (rising) that find the bot's saturation throughput. */
    saturationLevels: number[];
  };
  checkout: { levels: number[]; warmupMs: number; measureMs: number; stock: number; timeoutMs: number };
  flash: { customers: number; items: number; timeoutMs: number };
}

export const QUICK: BenchSettings = {
  mode: 'quick',
  bot: {
    customers: 300,
    rates: [50, 200, 500],
    warmupMs: 1000,
    measureMs: 3000,
    saturationLevels: [50, 150],
  },
  checkout: { levels: [2, 4, 8], warmupMs: 1000, measureMs: 5000, stock: 600, timeoutMs: 60_000 },
  flash: { customers: 200, items: 20, timeoutMs: 90_000 },
};

export const FULL: BenchSettings = {
  mode: 'full',
  bot: {
    customers: 1000,
    rates: [50, 200, 500],
    warmupMs: 3000,
    measureMs: 12_000,
    saturationLevels: [50, 100, 200, 400],
  },
  checkout: {
    levels: [4, 8, 16, 32, 64],
    warmupMs: 3000,
    measureMs: 20_000,
    stock: 5000,
    timeoutMs: 120_000,
  },
  flash: { customers: 2000, items: 100, timeoutMs: 300_000 },
};

export interface Args {
  settings: BenchSettings;
  /** Groups to run (development); all by default. */
  only: Set<string>;
  keepDatabases: boolean;
  /** The gateway's update mode: long polling (what `npm start` runs) or Telegram's webhook. */
  gatewayMode: 'polling' | 'webhook';
  /** The worker's TELEGRAM_RATE_PER_SECOND (the capped queue); the product's default when absent. */
  telegramRate?: number;
  /**
   * Copies of each process. Above 1 the bench runs twice, one copy of each and then this many, both in
   * webhook mode (several gateways need it), and prints the two side by side.
   */
  replicas: number;
}

export function parseArgs(argv: string[]): Args {
  const only = new Set<string>();
  let quick = false;
  let keepDatabases = false;
  let gatewayMode: Args['gatewayMode'] = 'polling';
  let telegramRate: number | undefined;
  let replicas = 1;
  for (const arg of argv) {
    if (arg === '--quick') quick = true;
    else if (arg === '--keep-databases') keepDatabases = true;
    else if (arg === '--webhook') gatewayMode = 'webhook';
    else if (arg.startsWith('--only=')) for (const g of arg.slice(7).split(',')) only.add(g);
    else if (/^--telegram-rate=\d+$/.test(arg)) telegramRate = Number(arg.slice('--telegram-rate='.length));
    else if (/^--replicas=\d+$/.test(arg)) replicas = Number(arg.slice('--replicas='.length));
    else
      throw new Error(
        `unknown argument ${arg}; use --quick, --only=bot,checkout,flash, --webhook, --keep-databases, --telegram-rate=N, --replicas=N`,
      );
  }
  if (replicas < 1 || replicas > 8) throw new Error(`--replicas=${replicas}: use 1 to 8, e.g. --replicas=2`);
  if (replicas > 1) gatewayMode = 'webhook';
  for (const g of only) if (!['bot', 'checkout', 'flash'].includes(g)) throw new Error(`unknown group ${g}`);
  if (only.size === 0) for (const g of ['bot', 'checkout', 'flash']) only.add(g);
  return { settings: quick ? QUICK : FULL, only, keepDatabases, gatewayMode, telegramRate, replicas };
}

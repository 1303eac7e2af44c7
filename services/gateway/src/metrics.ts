import {
  Counter,
  Gauge,
  Histogram,
  LATENCY_BUCKETS,
  withCorrelation,
  type Logger,
  type Registry,
} from '@quickcart/kit';
import { TelegramError, type MiddlewareFn, type Telegram } from 'telegraf';
import type { Update } from 'telegraf/types';
import type { ShopContext } from './context';
import {
  DeferUpdate,
  describeUpdate,
  updateIdentity,
  type Inbox,
  type InboxStats,
  type UpdateHandler,
} from './inbox/inbox';

/** How one try of an update ended (correlatedAndCounted). */
export type UpdateResult = 'ok' | 'failed' | 'retried' | 'dead_lettered' | 'deferred';

/** What the bot reports of itself (docs/operations.md §17). */
export interface GatewayMetrics {
  /** Every Bot API call as it ends: its method and result (`ok`, Telegram's error code, `network`). */
  telegramCall(method: string, result: string, seconds: number): void;
  /** Every try of an update the inbox handed the bot: its type and how it ended. */
  update(type: string, result: UpdateResult, seconds: number): void;
}

export function gatewayMetrics(
  registry: Registry,
  telegramState: () => { polling?: string; webhook?: boolean },
): GatewayMetrics {
  const calls = new Counter({
    name: 'quickcart_telegram_calls_total',
    help: "Bot API calls by method and result (ok, Telegram's error code such as 429 or 403, network)",
    labelNames: ['method', 'result'],
    registers: [registry],
  });
  const callDuration = new Histogram({
    name: 'quickcart_telegram_call_duration_seconds',
    help: 'Time a Bot API call took, by method (getUpdates is a long poll)',
    labelNames: ['method'],
    buckets: LATENCY_BUCKETS,
    registers: [registry],
  });
  const updates = new Counter({
    name: 'quickcart_telegram_updates_total',
    help: 'Tries of Telegram updates, by type and result (ok, failed: the person was told; retried, dead_lettered: an outage; deferred: Telegram asked to wait)',
    labelNames: ['type', 'result'],
    registers: [registry],
  });
  const updateDuration = new Histogram({
    name: 'quickcart_telegram_update_duration_seconds',
    help: 'Time the bot spent on an update, by type',
    labelNames: ['type'],
    buckets: LATENCY_BUCKETS,
    registers: [registry],
  });
  new Gauge({
    name: 'quickcart_telegram_receiving',
    help: 'Whether the bot is receiving updates: polling without a stop, or its webhook set (1), or not (0)',
    labelNames: ['mode'],
    registers: [registry],
    collect() {
      const state = telegramState();
      if (state.polling !== undefined) this.set({ mode: 'polling' }, state.polling === 'polling' ? 1 : 0);
      if (state.webhook !== undefined) this.set({ mode: 'webhook' }, state.webhook ? 1 : 0);
    },
  });
  return {
    telegramCall(method, result, seconds) {
      calls.inc({ method, result });
      callDuration.observe({ method }, seconds);
    },
    update(type, result, seconds) {
      updates.inc({ type, result });
      updateDuration.observe({ type }, seconds);
    },
  };
}

const counted = new WeakSet<Telegram>();

/**
 * Counts every call of this Telegram client, each try of it: a 429 waited out and tried again is two
 * calls. Wrapped before honourRetryAfter (retry-after.ts), so its retries are seen one by one.
 */
export function countTelegramCalls(telegram: Telegram, metrics: GatewayMetrics): Telegram {
  if (counted.has(telegram)) return telegram;
  counted.add(telegram);
  const call = telegram.callApi.bind(telegram);
  telegram.callApi = async function countedCall(method, payload, options) {
    const started = performance.now();
    const seconds = () => (performance.now() - started) / 1000;
    try {
      const answer = await call(method, payload, options);
      metrics.telegramCall(method, 'ok', seconds());
      return answer;
    } catch (error) {
      const result = error instanceof TelegramError ? String(error.code) : 'network';
      metrics.telegramCall(method, result, seconds());
      throw error;
    }
  } as Telegram['callApi'];
  return telegram;
}

/** Every Bot API call of each update's own client (telegraf makes one per update) is counted too. */
export function countCallsOfEachUpdate(metrics: GatewayMetrics): MiddlewareFn<ShopContext> {
  return (ctx, next) => {
    countTelegramCalls(ctx.telegram, metrics);
    return next();
  };
}

/** Updates whose handler failed and whose person was told "coba lagi" (bot.ts's error boundary). */
const failedUpdates = new WeakSet<Update>();

/** Marks an update whose handler error the bot answered: counted `failed`, not `ok`. */
export const markFailed = (update: Update): void => void failedUpdates.add(update);

/**
 * One id per update, the same for every try of it (a retry, another gateway after a handover): its
 * update id and its message's date or its press's id (updateIdentity), so one search finds the update's
 * lines in every process, and Telegram's update id leads to them.
 */
export const updateCorrelationId = (update: Update): string =>
  `tg-${updateIdentity(update)}`.replace(/[^A-Za-z0-9._:-]/g, '.').slice(0, 64);

/**
 * The inbox consumer's handler, wrapped (docs/operations.md §17): each try of an update runs under the
 * update's correlation id, which every log line and every call to orders and catalog made for it
 * carries, and is counted and timed by its type and result: `ok`, `failed` (a handler error the person
 * was told of), `retried` (an outage: the inbox tries again), `dead_lettered` (its last try failed),
 * `deferred` (Telegram asked to wait longer than an update may: it runs again later, no try counted).
 * A group notice waiting in the inbox (notify/group-notices.ts) is counted as the type `group_notice`.
 */
export function correlatedAndCounted(
  handler: UpdateHandler,
  metrics: GatewayMetrics,
  logger: Logger,
): UpdateHandler {
  return (update, attempt) => {
    const started = performance.now();
    const seconds = () => (performance.now() - started) / 1000;
    const type = describeUpdate(update).updateType;
    return withCorrelation(updateCorrelationId(update), async () => {
      let result: UpdateResult = attempt.final ? 'dead_lettered' : 'retried';
      try {
        await handler(update, attempt);
        result = failedUpdates.has(update) ? 'failed' : 'ok';
      } catch (error) {
        if (error instanceof DeferUpdate) result = 'deferred';
        throw error;
      } finally {
        metrics.update(type, result, seconds());
        // Debug only: the update id is the link from Telegram's side to this correlation id.
        logger.debug('update handled', {
          updateId: update.update_id,
          updateType: type,
          attempt: attempt.number,
          result,
          ms: Math.round(seconds() * 1000),
        });
      }
    });
  };
}

/**
 * The inbox read on every scrape: updates stored and not yet finished (all partitions), and the dead
 * letters kept (Redis: the `inbox:dead` stream; in memory: those since the start).
 */
export function inboxGauges(registry: Registry, inbox: Pick<Inbox, 'stats'>, logger: Logger): void {
  let last: Promise<InboxStats | undefined> | undefined;
  // Both gauges are collected in one scrape: one read of the inbox serves both. While Redis is away the
  // read fails or hangs: after a second both gauges are left out of the scrape (an unknown depth is
  // not a depth of 0) and the rest of the scrape is still served; /ready says Redis is down.
  const stats = () => {
    last ??= withTimeout(inbox.stats(), STATS_TIMEOUT_MS)
      .catch((error: Error) => {
        logger.debug('inbox not read for the metrics', { reason: error.message });
        return undefined;
      })
      .finally(() => setTimeout(() => (last = undefined), 100).unref());
    return last;
  };
  const gauge = (name: string, help: string, pick: (s: InboxStats) => number) =>
    new Gauge({
      name,
      help,
      registers: [registry],
      async collect() {
        const read = await stats();
        if (read) this.set(pick(read));
        else this.remove({});
      },
    });
  gauge(
    'quickcart_inbox_depth',
    'Telegram updates in the inbox not yet finished (stored, waiting or being handled)',
    (s) => s.depth,
  );
  gauge(
    'quickcart_inbox_dead_letters',
    'Telegram updates given up after their last try, kept for an operator (inbox:dead)',
    (s) => s.deadLetters,
  );
}

const STATS_TIMEOUT_MS = 1_000;

function withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

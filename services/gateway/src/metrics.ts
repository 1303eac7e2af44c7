import {
  Counter,
  Gauge,
  Histogram,
  LATENCY_BUCKETS,
  newCorrelationId,
  withCorrelation,
  type Logger,
  type Registry,
} from '@quickcart/kit';
import { TelegramError, type MiddlewareFn, type Telegram } from 'telegraf';
import type { ShopContext } from './context';

/** What the bot reports of itself (docs/operations.md §12). */
export interface GatewayMetrics {
  /** Every Bot API call as it ends: its method and result (`ok`, Telegram's error code, `network`). */
  telegramCall(method: string, result: string, seconds: number): void;
  /** Every update handled: its type, and whether a handler failed. */
  update(type: string, result: 'ok' | 'failed', seconds: number): void;
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
    help: 'Telegram updates handled, by type and result (failed: a handler error the person was told of)',
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

/**
 * The first middleware: each update gets a correlation id (docs/operations.md §12) that every log line
 * and every call to orders and catalog made for it carries, and is counted and timed. telegraf gives
 * every update its own Telegram client, so each is counted here too.
 */
export function correlateAndCount(metrics: GatewayMetrics, logger: Logger): MiddlewareFn<ShopContext> {
  return (ctx, next) => {
    countTelegramCalls(ctx.telegram, metrics);
    const started = performance.now();
    const seconds = () => (performance.now() - started) / 1000;
    return withCorrelation(newCorrelationId(), async () => {
      let result: 'ok' | 'failed' = 'failed';
      try {
        await next();
        result = 'ok';
      } finally {
        metrics.update(ctx.updateType, result, seconds());
        // Debug only: the update id is the link from Telegram's side to this correlation id.
        logger.debug('update handled', {
          updateId: ctx.update.update_id,
          updateType: ctx.updateType,
          result,
          ms: Math.round(seconds() * 1000),
        });
      }
    });
  };
}

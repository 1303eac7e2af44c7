import { createLogger, createMetricsRegistry, currentCorrelationId } from '@quickcart/kit';
import type { Update } from 'telegraf/types';
import { DeferUpdate, type Attempt } from './inbox/inbox';
import {
  correlatedAndCounted,
  gatewayMetrics,
  inboxGauges,
  markFailed,
  updateCorrelationId,
} from './metrics';

const logger = createLogger('gateway-metrics-test', 'silent');
const press = (updateId: number, callbackId: string): Update =>
  ({
    update_id: updateId,
    callback_query: { id: callbackId, from: { id: 7 }, message: { chat: { id: 7 } }, data: 'x' },
  }) as unknown as Update;
const first: Attempt = { number: 1, final: false };
const last: Attempt = { number: 3, final: true };

/** A sample's value in the registry's text, by `name{labels}` as prom-client writes it. */
const sample = async (registry: ReturnType<typeof createMetricsRegistry>, series: string) => {
  const line = (await registry.metrics()).split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.split(' ').at(-1));
};

describe('the inbox consumer, counted and correlated', () => {
  it('runs every try of one update under the same id, made from the update, never random', async () => {
    const registry = createMetricsRegistry();
    const metrics = gatewayMetrics(registry, () => ({ polling: 'polling' }));
    const seen: (string | undefined)[] = [];
    const handler = correlatedAndCounted(async () => void seen.push(currentCorrelationId()), metrics, logger);
    const update = press(501, '4242');
    await handler(update, first);
    await handler(structuredClone(update), last); // another gateway's copy, after a handover
    expect(seen).toEqual(['tg-501.cb4242', 'tg-501.cb4242']);
    expect(updateCorrelationId(update)).toBe('tg-501.cb4242');
  });

  it('counts each try by its type and how it ended: ok, failed (told), retried, dead_lettered', async () => {
    const registry = createMetricsRegistry();
    const metrics = gatewayMetrics(registry, () => ({ polling: 'polling' }));
    const outage = new Error('orders unreachable');
    const handler = correlatedAndCounted(
      async (u) => {
        const text = (u as { callback_query: { id: string } }).callback_query.id;
        if (text === 'told') markFailed(u);
        if (text === 'down') throw outage;
      },
      metrics,
      logger,
    );
    await handler(press(1, 'fine'), first);
    await handler(press(2, 'told'), first);
    await expect(handler(press(3, 'down'), first)).rejects.toBe(outage);
    await expect(handler(press(3, 'down'), last)).rejects.toBe(outage);
    for (const result of ['ok', 'failed', 'retried', 'dead_lettered'])
      expect([
        result,
        await sample(registry, `quickcart_telegram_updates_total{type="callback_query",result="${result}"}`),
      ]).toEqual([result, 1]);
  });

  it('counts a deferred try (a reply Telegram holds back for long) as deferred, never as dead_lettered', async () => {
    const registry = createMetricsRegistry();
    const metrics = gatewayMetrics(registry, () => ({ polling: 'polling' }));
    const handler = correlatedAndCounted(
      async () => {
        throw new DeferUpdate(Date.now() + 30_000, 'telegram asked to wait');
      },
      metrics,
      logger,
    );
    await expect(handler(press(4, 'held'), last)).rejects.toBeInstanceOf(DeferUpdate);
    const series = (result: string) =>
      `quickcart_telegram_updates_total{type="callback_query",result="${result}"}`;
    expect(await sample(registry, series('deferred'))).toBe(1);
    expect(await sample(registry, series('dead_lettered'))).toBeUndefined();
  });

  it('reports the inbox depth and dead letters, and leaves them out while the inbox cannot be read', async () => {
    const registry = createMetricsRegistry();
    let answer: () => Promise<{ depth: number; deadLetters: number }> = async () => ({
      depth: 5,
      deadLetters: 2,
    });
    inboxGauges(registry, { stats: () => answer() }, logger);
    expect(await sample(registry, 'quickcart_inbox_depth')).toBe(5);
    expect(await sample(registry, 'quickcart_inbox_dead_letters')).toBe(2);
    answer = () => new Promise(() => {}); // Redis away: the read never answers
    await new Promise((resolve) => setTimeout(resolve, 150));
    const text = await registry.metrics();
    expect(text).toContain('# TYPE quickcart_inbox_depth gauge');
    expect(await sample(registry, 'quickcart_inbox_depth')).toBeUndefined();
    expect(await sample(registry, 'quickcart_inbox_dead_letters')).toBeUndefined();
  });
});

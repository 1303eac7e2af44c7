import { performance } from 'node:perf_hooks';
import type { Delivery, Shopper } from './shopper';
import { summarize, type Summary } from './stats';

export interface LevelResult {
  concurrency: number;
  purchasesPerS: number;
  /** Press on QRIS → QR photo in the chat. */
  qr: Summary;
  /** Payment (webhook fired) → goods in the chat. */
  delivered: Summary;
  completedInWindow: number;
  errors: string[];
}

export interface CheckoutResult {
  levels: LevelResult[];
  best: LevelResult;
  /** Every purchase of the group, for the oversold / doubled checks. */
  deliveries: Delivery[];
  errors: string[];
}

/** One whole purchase: product → summary → QRIS → QR → pay → goods. */
async function purchase(s: Shopper, productId: number): Promise<{ qrMs: number; delivery: Delivery }> {
  const summary = await s.toSummary(productId);
  const { found, ms } = await s.pressQris(summary);
  if (found.kind !== 'qr') throw new Error(`chat ${s.customer.id}: sold out in the checkout group`);
  return { qrMs: ms, delivery: await s.payAndReceive(found.qr, found.invoiceId) };
}

/** `shoppers.length` customers, each buying again as soon as their goods arrive. */
async function level(
  shoppers: Shopper[],
  productId: number,
  warmupMs: number,
  measureMs: number,
  deliveries: Delivery[],
): Promise<LevelResult> {
  const start = performance.now();
  const w = { start: start + warmupMs, end: start + warmupMs + measureMs };
  const inWindow = (t: number) => t >= w.start && t < w.end;
  const qr: number[] = [];
  const delivered: number[] = [];
  const errors: string[] = [];
  let completed = 0;
  await Promise.all(
    shoppers.map(async (s) => {
      while (performance.now() < w.end) {
        const began = performance.now();
        try {
          const p = await purchase(s, productId);
          deliveries.push(p.delivery);
          if (inWindow(p.delivery.at)) completed++;
          if (inWindow(began)) {
            qr.push(p.qrMs);
            delivered.push(p.delivery.ms);
          }
        } catch (error) {
          errors.push((error as Error).message);
          return;
        }
      }
    }),
  );
  return {
    concurrency: shoppers.length,
    purchasesPerS: completed / (measureMs / 1000),
    qr: summarize(qr),
    delivered: summarize(delivered),
    completedInWindow: completed,
    errors,
  };
}

/**
 * Rising concurrency until throughput stops growing (under 10 % more than the best level so far),
 * or the list of levels ends. Each level ends by waiting for the purchases it started.
 */
export async function checkoutRamp(
  shoppers: Shopper[],
  productId: number,
  o: { levels: number[]; warmupMs: number; measureMs: number; log: (line: string) => void },
): Promise<CheckoutResult> {
  const levels: LevelResult[] = [];
  const deliveries: Delivery[] = [];
  for (const concurrency of o.levels) {
    const r = await level(shoppers.slice(0, concurrency), productId, o.warmupMs, o.measureMs, deliveries);
    levels.push(r);
    o.log(
      `checkout c=${concurrency}: ${r.purchasesPerS.toFixed(1)} purchases/s, ` +
        `QR p50 ${r.qr.p50.toFixed(0)} ms, delivered p99 ${r.delivered.p99.toFixed(0)} ms`,
    );
    const bestBefore = Math.max(0, ...levels.slice(0, -1).map((l) => l.purchasesPerS));
    if (r.errors.length > 0 || (levels.length >= 2 && r.purchasesPerS < bestBefore * 1.1)) break;
  }
  const best = levels.reduce((a, b) => (b.purchasesPerS > a.purchasesPerS ? b : a));
  return { levels, best, deliveries, errors: levels.flatMap((l) => l.errors) };
}

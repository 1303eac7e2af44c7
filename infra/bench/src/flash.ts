import { performance } from 'node:perf_hooks';
import type { Delivery, Shopper } from './shopper';
import { inBatches, percentile } from './stats';

export interface FlashResult {
  customers: number;
  items: number;
  qrShown: number;
  soldOutTold: number;
  /** Refused by orders at checkout (stock already reserved) vs by the workflow's reservation. */
  soldOutAtCheckout: number;
  goodsDelivered: number;
  /** Presses answered "busy" (nothing kept), which their customers pressed again. */
  busyPresses: number;
  /** From the moment everyone pressed QRIS until the last customer had a QR or a sold-out notice. */
  allAnsweredMs: number;
  answerP50Ms: number;
  /** Until the last winner, who paid as soon as the QR showed, had the goods. */
  allDeliveredMs: number;
  prepareMs: number;
  deliveries: Delivery[];
  errors: string[];
}

/**
 * N customers each open the summary of the flash product (through the bot, as people would), then
 * all press QRIS in the same instant. Winners pay at once. Exactly `items` may get goods.
 */
export async function flashSale(
  shoppers: Shopper[],
  productId: number,
  items: number,
  log: (line: string) => void,
): Promise<FlashResult> {
  const errors: string[] = [];
  const prepStart = performance.now();
  const summaries = new Map<Shopper, Awaited<ReturnType<Shopper['toSummary']>>>();
  await inBatches(shoppers, 50, async (s) => {
    try {
      summaries.set(s, await s.toSummary(productId));
    } catch (error) {
      errors.push(`prepare: ${(error as Error).message}`);
    }
  });
  const prepareMs = performance.now() - prepStart;
  log(
    `flash sale: ${summaries.size} customers on the summary in ${(prepareMs / 1000).toFixed(1)} s; all press QRIS`,
  );

  const t0 = performance.now();
  // Every press is queued for the bot before the first answer is awaited: "at once".
  const presses = [...summaries].map(([s, summary]) => ({ s, answer: s.pressQris(summary) }));
  const answeredAt: number[] = [];
  const deliveries: Delivery[] = [];
  let qrShown = 0;
  let soldOutTold = 0;
  let soldOutAtCheckout = 0;
  let busyPresses = 0;
  await Promise.all(
    presses.map(async ({ s, answer }) => {
      try {
        const { found, at, busy } = await answer;
        busyPresses += busy;
        answeredAt.push(at - t0);
        if (found.kind === 'sold_out') {
          soldOutTold++;
          if (found.by === 'checkout') soldOutAtCheckout++;
          return;
        }
        qrShown++;
        deliveries.push(await s.payAndReceive(found.qr, found.invoiceId));
      } catch (error) {
        errors.push((error as Error).message);
      }
    }),
  );
  return {
    customers: shoppers.length,
    items,
    qrShown,
    soldOutTold,
    soldOutAtCheckout,
    goodsDelivered: deliveries.length,
    busyPresses,
    allAnsweredMs: answeredAt.length ? Math.max(...answeredAt) : Number.NaN,
    answerP50Ms: percentile(answeredAt, 50),
    allDeliveredMs: deliveries.length ? Math.max(...deliveries.map((d) => d.at - t0)) : Number.NaN,
    prepareMs,
    deliveries,
    errors,
  };
}

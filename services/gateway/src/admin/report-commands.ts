import { Invalid } from '@quickcart/kit';
import { ORDERS_REFUSAL, reportPeriod, type SalesReport } from '@quickcart/orders/contract';
import { Input, TelegramError } from 'telegraf';
import type { BotDeps, ShopContext } from '../context';
import { actor, adminCopy as t, defineCommand, formatError } from './command';

/** The period typed after the command, when it has the form; orders checks that its days exist. */
const periodArg = (raw: string): string | undefined => {
  const parsed = reportPeriod.safeParse(raw.trim().toLowerCase());
  return parsed.success ? parsed.data : undefined;
};

/** A period of days that do not exist (2026-02-30) or that ends before it starts: the format again. */
async function explainPeriod(
  ctx: ShopContext,
  command: { name: 'report' | 'exportorders' },
  run: () => Promise<void>,
): Promise<void> {
  try {
    await run();
  } catch (error) {
    if (!(error instanceof Invalid) || error.reason !== ORDERS_REFUSAL.period) throw error;
    await ctx.reply(t(ctx).refusedInput(formatError(ctx, command), t(ctx).badPeriod));
  }
}

/** Telegram's 429 on the upload: the stream was read, so orders is asked for the CSV again after the wait. */
const EXPORT_ATTEMPTS = 3;
const EXPORT_MAX_WAIT_SECONDS = 30;

/**
 * The CSV goes from orders' response into Telegram's multipart upload as it is read, never whole in
 * memory. A stream is read once, so a 429 (which retry-after.ts hands back for streams) opens it again.
 */
async function sendExport(d: BotDeps, ctx: ShopContext, period: string, shown: SalesReport['period']) {
  for (let attempt = 1; ; attempt++) {
    const csv = await d.orders.exportOrders(period, actor(ctx));
    try {
      await ctx.replyWithDocument(Input.fromReadableStream(csv, t(ctx).orderExportFileName(shown)), {
        caption: t(ctx).orderExportCaption(shown),
      });
      return;
    } catch (error) {
      csv.destroy();
      const wait =
        error instanceof TelegramError && error.code === 429
          ? (error.parameters?.retry_after ?? 1)
          : undefined;
      if (wait === undefined || wait > EXPORT_MAX_WAIT_SECONDS || attempt >= EXPORT_ATTEMPTS) throw error;
      d.logger.warn('order export refused by Telegram for now; sending it again', {
        retryAfter: wait,
        attempt,
      });
      await new Promise((resolve) => setTimeout(resolve, wait * 1000));
    }
  }
}

/** docs/features.md §3.5: the sales report and the CSV export of a period, in the shop's timezone. */
export const reportCommands = [
  defineCommand({
    name: 'report',
    parse: (_args, raw) => {
      const period = periodArg(raw.trim() === '' ? 'today' : raw);
      return period === undefined ? undefined : { period };
    },
    run: (d, ctx, a) =>
      explainPeriod(ctx, { name: 'report' }, async () => {
        const report = await d.orders.salesReport(a.period);
        await ctx.reply(t(ctx).salesReport(report), { parse_mode: 'HTML' });
      }),
  }),
  defineCommand({
    name: 'exportorders',
    parse: (_args, raw) => {
      const period = periodArg(raw);
      return period === undefined ? undefined : { period };
    },
    run: (d, ctx, a) =>
      explainPeriod(ctx, { name: 'exportorders' }, async () => {
        const { period, ordersCreated } = await d.orders.salesReport(a.period);
        if (ordersCreated === 0) return void (await ctx.reply(t(ctx).noOrdersToExport(period)));
        await sendExport(d, ctx, a.period, period);
      }),
  }),
];

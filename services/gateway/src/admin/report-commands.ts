import { Invalid } from '@quickcart/kit';
import { ORDERS_REFUSAL, reportPeriod } from '@quickcart/orders/contract';
import { Input } from 'telegraf';
import { adminText as t, usage } from '../copy/admin';
import type { ShopContext } from '../context';
import { defineCommand, formatError } from './command';

/** The period typed after the command, when it has the form; orders checks that its days exist. */
const periodArg = (raw: string): string | undefined => {
  const parsed = reportPeriod.safeParse(raw.trim().toLowerCase());
  return parsed.success ? parsed.data : undefined;
};

/** A period of days that do not exist (2026-02-30) or that ends before it starts: the format again. */
async function explainPeriod(
  ctx: ShopContext,
  command: { format: string; example: string },
  run: () => Promise<void>,
): Promise<void> {
  try {
    await run();
  } catch (error) {
    if (!(error instanceof Invalid) || error.reason !== ORDERS_REFUSAL.period) throw error;
    await ctx.reply(t.refusedInput(formatError(command), t.badPeriod));
  }
}

/** docs/features.md §3.5: the sales report and the CSV export of a period, in the shop's timezone. */
export const reportCommands = [
  defineCommand({
    name: 'report',
    ...usage.report,
    parse: (_args, raw) => {
      const period = periodArg(raw.trim() === '' ? 'today' : raw);
      return period === undefined ? undefined : { period };
    },
    run: (d, ctx, a) =>
      explainPeriod(ctx, usage.report, async () => {
        const report = await d.orders.salesReport(a.period);
        await ctx.reply(t.salesReport(report), { parse_mode: 'HTML' });
      }),
  }),
  defineCommand({
    name: 'exportorders',
    ...usage.exportorders,
    parse: (_args, raw) => {
      const period = periodArg(raw);
      return period === undefined ? undefined : { period };
    },
    run: (d, ctx, a) =>
      explainPeriod(ctx, usage.exportorders, async () => {
        const { period, ordersCreated } = await d.orders.salesReport(a.period);
        if (ordersCreated === 0) return void (await ctx.reply(t.noOrdersToExport(period)));
        // The CSV goes from orders' response into Telegram's multipart upload as it is read.
        const csv = await d.orders.exportOrders(a.period);
        await ctx.replyWithDocument(Input.fromReadableStream(csv, t.orderExportFileName(period)), {
          caption: t.orderExportCaption(period),
        });
      }),
  }),
];

import { Conflict, NotFound } from '@quickcart/kit';
import { copyOf, type BotDeps, type ShopContext } from '../context';

export const help = (ctx: ShopContext) => ctx.reply(copyOf(ctx).text.help, { parse_mode: 'HTML' });
export const howToOrder = (ctx: ShopContext) => ctx.reply(copyOf(ctx).text.order, { parse_mode: 'HTML' });

/** §3.4 /refund INV and /reff INV: the estimate for one of the user's own paid invoices. */
export async function refund(d: BotDeps, ctx: ShopContext, args: string): Promise<void> {
  const { text, screens } = copyOf(ctx);
  const invoiceId = args.trim();
  if (!/^INV[A-Z0-9]{6,20}$/i.test(invoiceId)) return void (await ctx.reply(text.refundUsage));
  try {
    const estimate = await d.orders.refundEstimate(invoiceId.toUpperCase(), ctx.shop.user.id);
    await ctx.reply(screens.refundEstimate(estimate), { parse_mode: 'HTML' });
  } catch (error) {
    if (error instanceof NotFound || error instanceof Conflict)
      return void (await ctx.reply(text.refundNotFound));
    throw error;
  }
}

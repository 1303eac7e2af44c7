import { WARRANTY_DAYS_MAX } from '@quickcart/orders/contract';
import { actor, adminCopy as t, defineCommand, positiveInt } from './command';

/**
 * /setwarranty (docs/features.md §2.9.1, §3.2): a product's warranty in days from payment, which decides
 * whether its paid orders show "🛡️ Klaim Garansi"; 0 is none. Orders stores and audits it; the product
 * must exist in the catalog (a hidden one too: its orders keep their warranty).
 */
export const setWarrantyCommand = defineCommand({
  name: 'setwarranty',
  parse: (_args, raw) => {
    const [id, days, ...rest] = raw.trim().split(/[\s|]+/);
    const productId = positiveInt(id);
    const n = days !== undefined && /^\d{1,4}$/.test(days) ? Number(days) : undefined;
    if (productId === undefined || n === undefined || n > WARRANTY_DAYS_MAX || rest.length > 0)
      return undefined;
    return { productId, days: n };
  },
  run: async (d, ctx, a) => {
    await d.catalog.product(a.productId, { includeInactive: true });
    const w = await d.orders.setProductWarranty(a.productId, { days: a.days, actor: actor(ctx) });
    await ctx.reply(t(ctx).warrantySet(a.productId, w.days));
  },
});

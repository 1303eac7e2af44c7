import { Conflict, NotFound } from '@quickcart/kit';
import { Input } from 'telegraf';
import type { BotDeps, ShopContext } from '../context';
import { CATALOG_REFUSAL, normaliseDiscount, priceFor } from '@quickcart/catalog/contract';
import {
  actor,
  adminCopy as t,
  defineCommand,
  discountArg,
  orDefault,
  positiveInt,
  rupiahArg,
  signedInt,
} from './command';

/** Skipped lines listed in the reply up to this many; more go to a file (Telegram's 4096-char limit). */
const MAX_SKIPPED_INLINE = 30;

/** Catalog writes on behalf of the admin who sent the command: catalog audits them with their id. */
const writer = (d: BotDeps, ctx: ShopContext) => d.catalog.as(actor(ctx));

/** docs/features.md §3.2, products: each calls the catalog, which owns every rule. */

export const productCommands = [
  defineCommand({
    name: 'add',
    parse: ([id, name, category, price, description]) => {
      const autoId = orDefault(id) === undefined;
      const parsedPrice = rupiahArg(price);
      if (!name || name === '-' || !parsedPrice || (!autoId && !positiveInt(id))) return undefined;
      return {
        id: autoId ? null : positiveInt(id)!,
        name,
        category: orDefault(category) ?? null,
        price: parsedPrice,
        description: orDefault(description) ?? null,
      };
    },
    run: async (d, ctx, a) => {
      const p = await writer(d, ctx).addProduct(a);
      await ctx.reply(t(ctx).productAdded(p), { parse_mode: 'HTML' });
    },
  }),
  defineCommand({
    name: 'addstock',
    parse: (_args, raw) => {
      const bar = raw.indexOf('|');
      const id = positiveInt(raw.slice(0, bar).trim());
      const lines = raw.slice(bar + 1).split('\n');
      return bar < 0 || !id || lines.every((l) => l.trim() === '') ? undefined : { id, lines };
    },
    run: async (d, ctx, a) => {
      const r = await writer(d, ctx).addStock(a.id, a.lines);
      const skipped = r.skipped.map((s) => t(ctx).skippedLine(s.line, s.reason));
      const counts = { id: a.id, added: r.added, skipped: r.skipped.length, stock: r.stock };
      if (skipped.length <= MAX_SKIPPED_INLINE) {
        return void (await ctx.reply(
          t(ctx).stockAdded(counts, skipped.length ? skipped.join(', ') : undefined),
        ));
      }
      // A long list would pass Telegram's message limit: counts by reason here, every line in a file.
      const byReason = (['blank', 'duplicate'] as const)
        .map((reason) => [r.skipped.filter((s) => s.reason === reason).length, reason] as const)
        .filter(([n]) => n > 0)
        .map(([n, reason]) => t(ctx).skippedCount(n, reason));
      await ctx.reply(t(ctx).stockAdded(counts, t(ctx).skippedInFile(byReason)));
      await ctx.replyWithDocument(
        Input.fromBuffer(Buffer.from(skipped.join('\n') + '\n'), t(ctx).skippedFileName(a.id)),
      );
    },
  }),
  defineCommand({
    name: 'del',
    parse: ([id, ...rest]) => (rest.length === 0 && positiveInt(id) ? { id: positiveInt(id)! } : undefined),
    run: async (d, ctx, a) => {
      await writer(d, ctx).deleteProduct(a.id);
      await ctx.reply(t(ctx).productHidden(a.id));
    },
  }),
  defineCommand({
    name: 'delstock',
    parse: ([id, stockId]) =>
      positiveInt(id) && stockId && /^[0-9a-f-]{36}$/i.test(stockId)
        ? { id: positiveInt(id)!, stockId }
        : undefined,
    run: async (d, ctx, a) => {
      await writer(d, ctx).deleteStockItem(a.id, a.stockId);
      await ctx.reply(t(ctx).stockItemDeleted(a.id, a.stockId));
    },
  }),
  defineCommand({
    name: 'delallstock',
    parse: ([id, ...rest]) => (rest.length === 0 && positiveInt(id) ? { id: positiveInt(id)! } : undefined),
    run: async (d, ctx, a) => {
      const r = await writer(d, ctx).deleteAllStock(a.id);
      await ctx.reply(t(ctx).allStockDeleted(a.id, r));
    },
  }),
  defineCommand({
    name: 'editid',
    parse: ([id, newId]) =>
      positiveInt(id) && positiveInt(newId)
        ? { id: positiveInt(id)!, newId: positiveInt(newId)! }
        : undefined,
    run: async (d, ctx, a) => {
      await writer(d, ctx).changeProductId(a.id, a.newId);
      await ctx.reply(t(ctx).productIdChanged(a.id, a.newId));
    },
  }),
  defineCommand({
    name: 'editcategory',
    parse: ([id, category]) => (positiveInt(id) && category ? { id: positiveInt(id)!, category } : undefined),
    run: async (d, ctx, a) => {
      await writer(d, ctx).editProduct(a.id, { category: a.category });
      await ctx.reply(t(ctx).categoryChanged(a.id, a.category));
    },
  }),
  defineCommand({
    name: 'editsold',
    parse: ([id, delta]) =>
      positiveInt(id) && signedInt(delta) !== undefined
        ? { id: positiveInt(id)!, delta: signedInt(delta)! }
        : undefined,
    run: async (d, ctx, a) => {
      const p = await writer(d, ctx).adjustSoldCount(a.id, a.delta);
      await ctx.reply(t(ctx).soldCount(a.id, p.soldCount));
    },
  }),
  defineCommand({
    name: 'disc',
    parse: ([id, disc]) =>
      positiveInt(id) && discountArg(disc)
        ? { id: positiveInt(id)!, discount: discountArg(disc)! }
        : undefined,
    confirm: {
      preview: async (d, ctx, a) => {
        const p = await d.catalog.product(a.id, { includeInactive: true });
        const discount = normaliseDiscount(a.discount);
        return t(ctx).discountPreview(p, discount, priceFor({ ...p, discount }, 'customer').price);
      },
      apply: async (d, ctx, a) => {
        const p = await writer(d, ctx).setDiscount(a.id, a.discount);
        return { text: t(ctx).productDiscount(a.id, p.discount, p.price) };
      },
    },
  }),
  defineCommand({
    name: 'discat',
    parse: ([category, disc]) =>
      category && discountArg(disc) ? { category, discount: discountArg(disc)! } : undefined,
    run: async (d, ctx, a) => {
      const r = await writer(d, ctx).setCategoryDiscount(a.category, a.discount);
      await ctx.reply(t(ctx).categoryDiscount(a.category, r.discount));
    },
  }),
  defineCommand({
    name: 'priceress',
    parse: ([id, price]) =>
      positiveInt(id) && rupiahArg(price) ? { id: positiveInt(id)!, price: rupiahArg(price)! } : undefined,
    run: async (d, ctx, a) => {
      await writer(d, ctx).editProduct(a.id, { resellerPrice: a.price });
      await ctx.reply(t(ctx).resellerPrice(a.id, a.price));
    },
  }),
  defineCommand({
    name: 'exportstock',
    parse: ([id, ...rest]) => (rest.length === 0 && positiveInt(id) ? { id: positiveInt(id)! } : undefined),
    run: async (d, ctx, a) => {
      const { items } = await writer(d, ctx).exportStock(a.id);
      if (items.length === 0) return void (await ctx.reply(t(ctx).noStockToExport(a.id)));
      const body = items.map((i) => `${i.id}\t${i.status}\t${i.content}`).join('\n') + '\n';
      await ctx.replyWithDocument(Input.fromBuffer(Buffer.from(body), t(ctx).stockExportFileName(a.id)), {
        caption: t(ctx).stockExportCaption(a.id, items.length),
      });
    },
  }),
];

/** What a refusal from the catalog means to an admin. */
export function explainCatalogRefusal(ctx: ShopContext, error: unknown): string | undefined {
  if (error instanceof NotFound) {
    if (error.reason === CATALOG_REFUSAL.category) return t(ctx).notFound('category');
    return t(ctx).notFound(error.reason === CATALOG_REFUSAL.stockItem ? 'stockItem' : 'product');
  }
  if (error instanceof Conflict) {
    if (error.reason === CATALOG_REFUSAL.idTaken) return t(ctx).idTaken;
    if (error.reason === CATALOG_REFUSAL.stockItemHeld) return t(ctx).stockItemHeld;
    return t(ctx).refused(error.message);
  }
  return undefined;
}

import { priceRoleOf, type ProductSummary } from '@quickcart/catalog/contract';
import type { BotDeps, ShopContext } from '../context';
import { copyOf, languageOf, respond } from '../context';
import { btn, categoryButtons, inline, pager, productButtons } from '../keyboards';
import { sendLongText } from '../telegram-limits';

/** §2.3 Kategori: one button per category that has active products; `intro` above (a search that found none). */
export async function showCategories(d: BotDeps, ctx: ShopContext, intro?: string): Promise<void> {
  const { items } = await d.catalog.categories();
  const { text } = copyOf(ctx);
  const title = items.length ? text.categoriesTitle : text.noCategories;
  await respond(ctx, intro ? `${intro}\n\n${title}` : title, inline(categoryButtons(languageOf(ctx), items)));
}

export async function showCategory(d: BotDeps, ctx: ShopContext, name: string, page: number): Promise<void> {
  const list = await d.catalog.listProducts({ category: name, page, role: priceRoleOf(ctx.shop.user) });
  if (list.totalItems === 0) return showCategories(d, ctx);
  await showList(ctx, name, list, (p) => ({ kind: 'category', name, page: p }), { kind: 'categories' });
}

/** Semua Produk and LIST PRODUK: every active product, in stock or not. */
export async function showAllProducts(
  d: BotDeps,
  ctx: ShopContext,
  page: number,
  intro?: string,
): Promise<void> {
  const list = await d.catalog.listProducts({ page, role: priceRoleOf(ctx.shop.user) });
  const { text } = copyOf(ctx);
  if (list.totalItems === 0) return respond(ctx, text.noProducts);
  await showList(
    ctx,
    text.allProductsTitle,
    list,
    (p) => ({ kind: 'all', page: p }),
    { kind: 'menu' },
    intro,
  );
}

export async function showList(
  ctx: ShopContext,
  title: string,
  list: { items: ProductSummary[]; page: number; totalPages: number },
  to: Parameters<typeof pager>[3],
  back: Parameters<typeof pager>[4],
  intro?: string,
): Promise<void> {
  const body = copyOf(ctx).screens.productList(title, list.items, list.page, list.totalPages);
  const language = languageOf(ctx);
  await respond(
    ctx,
    intro ? `${intro}\n\n${body}` : body,
    inline([
      ...productButtons(language, list.items),
      ...pager(language, list.page, list.totalPages, to, back),
    ]),
  );
}

export async function showBestSellers(d: BotDeps, ctx: ShopContext): Promise<void> {
  const { items } = await d.catalog.bestSellers({ role: priceRoleOf(ctx.shop.user), limit: 10 });
  const { text, buttons, screens } = copyOf(ctx);
  await respond(
    ctx,
    items.length ? screens.bestSellers(items) : text.noBestSellers,
    inline([[btn(buttons.back, { kind: 'menu' }), btn(buttons.topBuyers, { kind: 'topBuyers' })]]),
  );
}

export async function showTopBuyers(d: BotDeps, ctx: ShopContext): Promise<void> {
  const { items } = await d.orders.topBuyers(10);
  const { text, buttons, screens } = copyOf(ctx);
  await respond(
    ctx,
    items.length ? screens.topBuyers(items) : text.noTopBuyers,
    inline([[btn(buttons.back, { kind: 'best' })]]),
  );
}

/** STOK and /stock: products with stock. */
export async function showStock(d: BotDeps, ctx: ShopContext): Promise<void> {
  const { items } = await d.catalog.listProducts({
    inStock: true,
    pageSize: 100,
    role: priceRoleOf(ctx.shop.user),
  });
  await sendLongText(ctx.telegram, ctx.chat!.id, copyOf(ctx).screens.stockList(items));
}

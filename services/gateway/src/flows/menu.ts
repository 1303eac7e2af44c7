import type { BotDeps, ShopContext } from '../context';
import { respond } from '../context';
import { mainMenuButtons, replyKeyboard } from '../keyboards';
import { mainMenu, text } from '../messages';

/** The reply keyboard's number buttons: active products with stock, ascending, at most 24 (§2.2). */
export async function productKeyboard(d: BotDeps) {
  const page = await d.catalog.listProducts({ inStock: true, pageSize: 24 });
  return replyKeyboard(page.items.map((p) => p.id));
}

/** §2.2: the main menu, with the store's figures. `fresh` also resends the reply keyboard. */
export async function showMainMenu(d: BotDeps, ctx: ShopContext, fresh: boolean): Promise<void> {
  await d.sessions.expect(ctx.shop.user.id, undefined);
  if (fresh) await ctx.reply(text.menuKeyboard, await productKeyboard(d));
  const user = await d.orders.user(ctx.shop.user.id);
  const totals = await d.orders.stats();
  const html = mainMenu({
    name: user.name,
    storeName: d.config.STORE_NAME,
    docsUrl: d.config.DOCS_URL,
    ...totals,
  });
  if (fresh)
    await ctx.reply(html, {
      parse_mode: 'HTML',
      link_preview_options: { is_disabled: true },
      ...mainMenuButtons(),
    });
  else await respond(ctx, html, mainMenuButtons());
}

import type { BotDeps, ShopContext } from '../context';
import { respond } from '../context';
import { mainMenuButtons, replyKeyboard } from '../keyboards';
import { text } from '../copy/customer';
import { mainMenu } from '../copy/customer-screens';

/** The reply keyboard's number buttons: active products with stock, ascending, at most 24 (§2.2). */
export async function productKeyboard(d: BotDeps) {
  return replyKeyboard(await d.figures.productIdsInStock());
}

/** §2.2: the main menu, with the store's figures. `fresh` also resends the reply keyboard. */
export async function showMainMenu(d: BotDeps, ctx: ShopContext, fresh: boolean): Promise<void> {
  await d.sessions.expect(ctx.shop.user.id, undefined);
  if (fresh) await ctx.reply(text.menuKeyboard, await productKeyboard(d));
  // The user again: onboarding may have just changed the name this update started with.
  const [user, totals] = await Promise.all([d.orders.user(ctx.shop.user.id), d.figures.totals()]);
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

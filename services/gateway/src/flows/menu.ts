import type { BotDeps, ShopContext } from '../context';
import { copyOf, languageOf, respond } from '../context';
import { mainMenuButtons, replyKeyboard } from '../keyboards';

/** The reply keyboard (its labels in the user's language), with the products in stock (§2.2). */
export async function productKeyboard(d: BotDeps, ctx: ShopContext) {
  return replyKeyboard(languageOf(ctx), await d.figures.productIdsInStock());
}

/** §2.2: the main menu, with the store's figures. `fresh` also resends the reply keyboard. */
export async function showMainMenu(d: BotDeps, ctx: ShopContext, fresh: boolean): Promise<void> {
  await ctx.session.expect(undefined);
  const { text, screens } = copyOf(ctx);
  if (fresh) await ctx.reply(text.menuKeyboard, await productKeyboard(d, ctx));
  // The user again: onboarding may have just changed the name this update started with.
  const [user, totals] = await Promise.all([d.orders.user(ctx.shop.user.id), d.figures.totals()]);
  const html = screens.mainMenu({
    name: user.name,
    storeName: d.config.STORE_NAME,
    docsUrl: d.config.DOCS_URL,
    ...totals,
  });
  if (fresh)
    await ctx.reply(html, {
      parse_mode: 'HTML',
      link_preview_options: { is_disabled: true },
      ...mainMenuButtons(languageOf(ctx)),
    });
  else await respond(ctx, html, mainMenuButtons(languageOf(ctx)));
}

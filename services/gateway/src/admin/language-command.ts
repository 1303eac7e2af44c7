import { LANGUAGES, type Language } from '@quickcart/orders/contract';
import { copyIn } from '../copy/languages';
import { actor, defineCommand } from './command';

/**
 * /lang id|en (docs/features.md §8.1): the admin's own language, for replies, notices and their command
 * menu (set again after it, by admin/register.ts). Kept by orders like a customer's choice, on the record.
 */
export const languageCommand = defineCommand({
  name: 'lang',
  parse: ([language, ...rest]) =>
    rest.length === 0 && LANGUAGES.includes(language?.toLowerCase() as Language)
      ? { language: language.toLowerCase() as Language }
      : undefined,
  run: async (d, ctx, a) => {
    const user = await d.orders.setLanguage(ctx.shop.user.id, a.language, actor(ctx));
    ctx.shop.user = user;
    d.languages.remember(user);
    await ctx.reply(copyIn(a.language).adminText.languageSet);
  },
  changesMenu: (_a, ctx) => ({ userId: ctx.shop.user.id, admin: true }),
});

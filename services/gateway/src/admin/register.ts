import { Invalid } from '@quickcart/kit';
import type { Telegraf } from 'telegraf';
import type { BotDeps, ShopContext } from '../context';
import { formatError, splitArgs, type AdminCommand } from './command';
import { explainCatalogRefusal, productCommands } from './product-commands';
import { explainOrdersRefusal, userCommands } from './user-commands';

export const ADMIN_COMMANDS: AdminCommand<unknown>[] = [...productCommands, ...userCommands];

/**
 * Registers every admin command. Access: a user who is not an admin gets no reply at all and nothing
 * changes (FEATURES.md §8.2); admins are ADMIN_IDS plus those promoted (orders decides `isAdmin`).
 */
export function registerAdminCommands(bot: Telegraf<ShopContext>, d: BotDeps): void {
  for (const command of ADMIN_COMMANDS) {
    bot.command(command.name, async (ctx) => {
      if (!ctx.shop?.user.isAdmin) return;
      await d.sessions.expect(ctx.shop.user.id, undefined);
      const raw = (ctx as { payload?: string }).payload ?? '';
      const args = command.parse(splitArgs(raw), raw);
      if (args === undefined) return void (await ctx.reply(formatError(command)));
      try {
        await command.run(d, ctx, args);
      } catch (error) {
        if (error instanceof Invalid)
          return void (await ctx.reply(`${formatError(command)}\n(${error.message})`));
        const explained = explainOrdersRefusal(error) ?? explainCatalogRefusal(error);
        if (!explained) throw error;
        await ctx.reply(explained);
      }
    });
  }
}

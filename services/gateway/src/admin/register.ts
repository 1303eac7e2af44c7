import { Invalid } from '@quickcart/kit';
import { message } from 'telegraf/filters';
import type { Telegraf } from 'telegraf';
import { languageOf, type BotDeps, type ShopContext } from '../context';
import { broadcastCommand } from './broadcast-command';
import { abortAction, askConfirmation, confirmAction } from './confirm';
import { setChatCommandMenu, setCommandMenu } from './command-menus';
import { adminCopy, formatError, splitArgs, type AdminCommand } from './command';
import { setImageCommand } from './picture-command';
import { explainCatalogRefusal, productCommands } from './product-commands';
import { reportCommands } from './report-commands';
import { stuckCommand } from './stuck-command';
import { systemCommands } from './system-commands';
import { setWarrantyCommand } from './warranty-command';
import { explainOrdersRefusal, userCommands } from './user-commands';
import { languageCommand } from './language-command';

export const ADMIN_COMMANDS: AdminCommand<unknown>[] = [
  ...productCommands,
  setImageCommand,
  setWarrantyCommand,
  ...userCommands,
  ...systemCommands,
  ...reportCommands,
  broadcastCommand,
  stuckCommand,
  languageCommand,
];

/** A photo captioned with a command (/broadcast, /setimage): `/broadcast@bot text` → ['broadcast', 'text']. */
const CAPTION_COMMAND = /^\/([a-z]+)(?:@\w+)?(?:\s+([\s\S]*))?$/;

/**
 * Registers every admin command. Access: a user who is not an admin gets no reply at all and nothing
 * changes (docs/features.md §8.2); admins are ADMIN_IDS plus those promoted (orders decides `isAdmin`).
 */
export function registerAdminCommands(bot: Telegraf<ShopContext>, d: BotDeps): void {
  // One middleware for every admin command (bot.ts says why).
  const byName = new Map<string, AdminCommand<unknown>>(ADMIN_COMMANDS.map((c) => [c.name, c]));
  bot.command([...byName.keys()], (ctx) => runCommand(d, ctx, byName.get(ctx.command)!, ctx.payload));
  bot.on(message('photo'), async (ctx, next) => {
    const m = CAPTION_COMMAND.exec(ctx.message.caption?.trim() ?? '');
    const command = m && ADMIN_COMMANDS.find((c) => c.name === m[1]);
    if (!command) return next();
    await runCommand(d, ctx, command, m[2] ?? '');
  });
}

/**
 * An admin's own command menu, set again on /start: one who had never opened the bot when it started
 * (Telegram: "chat not found") gets it the first time they do.
 */
export async function refreshAdminMenu(d: BotDeps, ctx: ShopContext): Promise<void> {
  await setCommandMenu(ctx.telegram, ctx.shop.user.id, true, ADMIN_COMMANDS, languageOf(ctx)).catch(
    (error: Error) =>
      d.logger.warn('admin command menu not set', { userId: ctx.shop.user.id, message: error.message }),
  );
}

/**
 * After a customer chose a language in the account menu (docs/features.md §8.1): their chat's own menu
 * in it, which wins over the one Telegram picks by language_code; an admin's keeps the admin commands.
 */
export async function menuInChosenLanguage(d: BotDeps, ctx: ShopContext): Promise<void> {
  const who = { admin: ctx.shop.user.isAdmin, language: languageOf(ctx) };
  await setChatCommandMenu(ctx.telegram, ctx.shop.user.id, who, ADMIN_COMMANDS).catch((error: Error) =>
    d.logger.warn('command menu not set in the chosen language', {
      userId: ctx.shop.user.id,
      message: error.message,
    }),
  );
}

/** What a refusal from orders or the catalog means to an admin; undefined for a failure. */
const explainRefusal = (ctx: ShopContext, error: unknown) =>
  explainOrdersRefusal(ctx, error) ?? explainCatalogRefusal(ctx, error);

/** The admin's ✅ on a money command's preview (admin/confirm.ts). */
export const confirmAdminAction = (d: BotDeps, ctx: ShopContext, id: string) =>
  confirmAction(d, ctx, id, ADMIN_COMMANDS, explainRefusal);
export const abortAdminAction = abortAction;

async function runCommand(d: BotDeps, ctx: ShopContext, command: AdminCommand<unknown>, raw: string) {
  if (!ctx.shop?.user.isAdmin) return;
  await ctx.session.expect(undefined);
  const args = command.parse(splitArgs(raw), raw, ctx);
  if (args === undefined) return void (await ctx.reply(formatError(ctx, command)));
  try {
    if (command.confirm) await askConfirmation(d, ctx, command, args);
    else await command.run!(d, ctx, args);
    const change = command.changesMenu?.(args, ctx);
    if (change) {
      const language = await d.languages.of(change.userId);
      await setCommandMenu(ctx.telegram, change.userId, change.admin, ADMIN_COMMANDS, language).catch(
        (error: Error) =>
          d.logger.warn('admin command menu not changed', { userId: change.userId, message: error.message }),
      );
    }
  } catch (error) {
    if (error instanceof Invalid)
      return void (await ctx.reply(adminCopy(ctx).refusedInput(formatError(ctx, command), error.message)));
    const explained = explainRefusal(ctx, error);
    if (!explained) throw error;
    await ctx.reply(explained);
  }
}

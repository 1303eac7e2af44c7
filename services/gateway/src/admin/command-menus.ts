import type { Logger } from '@quickcart/kit';
import type { OrdersClient } from '@quickcart/orders/client';
import type { Telegram } from 'telegraf';
import { commandMenu } from '../copy/customer';
import type { AdminCommand } from './command';

/** What every user sees in Telegram's command menu (docs/features.md §3.1). */
export const PUBLIC_COMMANDS = (['start', 'stock', 'order', 'refund', 'help'] as const).map((command) => ({
  command,
  description: commandMenu[command],
}));

/** Telegram caps a description at 256 characters; the format is the most useful reminder. */
const adminMenu = (commands: AdminCommand<unknown>[]) => [
  ...PUBLIC_COMMANDS,
  ...commands.map((c) => ({ command: c.name, description: c.format.slice(0, 256) })),
];

/**
 * One admin's menu: the admin commands on top of the public ones, in a scope for their chat only, so
 * customers never see them. Demoting deletes the chat's scope, and the default (public) menu shows.
 */
export async function setCommandMenu(
  telegram: Telegram,
  chatId: number,
  admin: boolean,
  commands: AdminCommand<unknown>[],
): Promise<void> {
  const scope = { type: 'chat' as const, chat_id: chatId };
  if (admin) await telegram.setMyCommands(adminMenu(commands), { scope });
  else await telegram.deleteMyCommands({ scope });
}

/** At start: the public menu for everyone, and each admin's own (admins may have changed meanwhile). */
export async function publishCommandMenus(
  telegram: Telegram,
  orders: OrdersClient,
  commands: AdminCommand<unknown>[],
  logger: Logger,
): Promise<void> {
  await telegram.setMyCommands(PUBLIC_COMMANDS);
  const { chatIds } = await orders.admins();
  for (const chatId of chatIds) {
    // An admin who never opened the bot has no chat yet: Telegram says "chat not found"; skip them.
    await setCommandMenu(telegram, chatId, true, commands).catch((error: Error) =>
      logger.warn('admin command menu not set', { chatId, message: error.message }),
    );
  }
}

import type { Logger } from '@quickcart/kit';
import type { OrdersClient } from '@quickcart/orders/client';
import type { Telegram } from 'telegraf';
import { copyIn, LANGUAGES, SHOP_LANGUAGE, type Language } from '../copy/languages';
import type { RecipientLanguages } from '../recipient-languages';
import { usageOf, type AdminCommand } from './command';

const PUBLIC = ['start', 'stock', 'order', 'refund', 'help'] as const;

/** What every user sees in Telegram's command menu (docs/features.md §3.1), in one language. */
export const publicCommands = (language: Language) =>
  PUBLIC.map((command) => ({ command, description: copyIn(language).commandMenu[command] }));

/** Telegram caps a description at 256 characters; the format is the most useful reminder. */
const adminMenu = (language: Language, commands: AdminCommand<unknown>[]) => [
  ...publicCommands(language),
  ...commands.map((c) => ({
    command: c.name,
    description: usageOf(language, c).format.slice(0, 256),
  })),
];

/**
 * One admin's menu: the admin commands on top of the public ones, in their language, in a scope for
 * their chat only, so customers never see them. Demoting deletes the chat's scope, and the default
 * (public) menu shows.
 */
export async function setCommandMenu(
  telegram: Telegram,
  chatId: number,
  admin: boolean,
  commands: AdminCommand<unknown>[],
  language: Language,
): Promise<void> {
  const scope = { type: 'chat' as const, chat_id: chatId };
  if (admin) await telegram.setMyCommands(adminMenu(language, commands), { scope });
  else await telegram.deleteMyCommands({ scope });
}

/**
 * After a choice of language (docs/features.md §8.1): the chat's own menu in that language, which wins
 * over the menu Telegram picks by its language_code. An admin's keeps the admin commands.
 */
export async function setChatCommandMenu(
  telegram: Telegram,
  chatId: number,
  who: { admin: boolean; language: Language },
  commands: AdminCommand<unknown>[],
): Promise<void> {
  const scope = { type: 'chat' as const, chat_id: chatId };
  const menu = who.admin ? adminMenu(who.language, commands) : publicCommands(who.language);
  await telegram.setMyCommands(menu, { scope });
}

/**
 * At start: the public menu for everyone (Indonesian, and English for those whose Telegram is in
 * English), and each admin's own in their language (admins may have changed meanwhile).
 */
export async function publishCommandMenus(
  telegram: Telegram,
  orders: OrdersClient,
  languages: RecipientLanguages,
  commands: AdminCommand<unknown>[],
  logger: Logger,
): Promise<void> {
  await telegram.setMyCommands(publicCommands(SHOP_LANGUAGE));
  for (const language of LANGUAGES.filter((l) => l !== SHOP_LANGUAGE))
    await telegram.setMyCommands(publicCommands(language), { language_code: language });
  const { chatIds } = await orders.admins();
  for (const chatId of chatIds) {
    // An admin who never opened the bot has no chat yet: Telegram says "chat not found"; skip them.
    await setCommandMenu(telegram, chatId, true, commands, await languages.of(chatId)).catch((error: Error) =>
      logger.warn('admin command menu not set', { chatId, message: error.message }),
    );
  }
}

import type { BotProfile, ChatMessage, SandboxChat, SandboxFile, SandboxUser } from './model';

/** The Bot API's JSON for the sandbox's state: what getUpdates, webhooks and method results carry. */

export const botUser = (bot: BotProfile) => ({
  id: bot.id,
  is_bot: true,
  first_name: bot.firstName,
  username: bot.username,
});

export const personUser = (user: SandboxUser) => ({
  id: user.id,
  is_bot: false,
  first_name: user.firstName,
  ...(user.lastName !== undefined && { last_name: user.lastName }),
  ...(user.username !== undefined && { username: user.username }),
  ...(user.languageCode !== undefined && { language_code: user.languageCode }),
});

export function wireChat(chat: SandboxChat) {
  if (chat.type !== 'private') return { id: chat.id, type: chat.type, title: chat.title ?? '' };
  return {
    id: chat.id,
    type: chat.type,
    first_name: chat.user?.firstName ?? '',
    ...(chat.user?.lastName !== undefined && { last_name: chat.user.lastName }),
    ...(chat.user?.username !== undefined && { username: chat.user.username }),
  };
}

const fileIds = (file: SandboxFile) => ({
  file_id: file.fileId,
  file_unique_id: file.fileUniqueId,
  ...(file.bytes.length > 0 && { file_size: file.bytes.length }),
});

/** `lookUp` finds the chat of a forwarded original, so the forward can name its sender. */
export function wireMessage(
  message: ChatMessage,
  chat: SandboxChat,
  bot: BotProfile,
  lookUp: (chatId: number) => SandboxChat | undefined = () => undefined,
): Record<string, unknown> {
  const sender = message.from === 'bot' || !chat.user ? botUser(bot) : personUser(chat.user);
  const wire: Record<string, unknown> = {
    message_id: message.id,
    from: sender,
    chat: wireChat(chat),
    date: message.date,
  };
  if (message.editDate !== undefined) wire.edit_date = message.editDate;
  if (message.forwardedFrom) {
    const origin = lookUp(message.forwardedFrom.chatId);
    wire.forward_origin =
      origin?.type === 'private' && origin.user
        ? { type: 'user', sender_user: personUser(origin.user), date: message.date }
        : {
            type: 'chat',
            sender_chat: origin ? wireChat(origin) : { id: message.forwardedFrom.chatId },
            date: message.date,
          };
  }
  if (message.replyToMessageId !== undefined) {
    const original = chat.messages.find((m) => m.id === message.replyToMessageId);
    // Telegram nests the original one level deep only.
    if (original)
      wire.reply_to_message = wireMessage({ ...original, replyToMessageId: undefined }, chat, bot, lookUp);
  }
  if (message.text !== undefined) wire.text = message.text;
  if (message.entities) wire.entities = message.entities;
  if (message.caption !== undefined) wire.caption = message.caption;
  if (message.photo) {
    const { width = 512, height = 512 } = message.photo;
    wire.photo = [{ ...fileIds(message.photo), width, height }];
  }
  if (message.document) {
    wire.document = {
      ...fileIds(message.document),
      ...(message.document.filename !== undefined && { file_name: message.document.filename }),
      ...(message.document.mimeType !== undefined && { mime_type: message.document.mimeType }),
    };
  }
  if (message.sticker !== undefined) {
    wire.sticker = {
      file_id: message.sticker,
      file_unique_id: 'AgAD' + message.sticker.slice(-8),
      type: 'regular',
      width: 512,
      height: 512,
      is_animated: false,
      is_video: false,
    };
  }
  // Only inline keyboards come back in a Message; reply keyboards belong to the user's input field.
  if (message.inlineKeyboard) wire.reply_markup = { inline_keyboard: message.inlineKeyboard };
  return wire;
}

import type { ChatMessage, SandboxChat, SandboxFile } from './model';
import type { TelegramSandboxCore } from './sandbox-core';

/** Shown for a sticker whose picture Telegram holds (a real sticker id): the sandbox never has its bytes. */
const STICKER_EMOJI = '🙂';
/** Toasts the page may still have to show; older answers were seen long ago. */
const RECENT_ANSWERS = 10;

/** Where the chat page loads a file from; `download` makes the browser save it under its name. */
export const fileUrl = (chatId: number, f: SandboxFile, download = false): string =>
  f.bytes.length === 0 && f.url
    ? f.url
    : `/chat/${chatId}/files/${encodeURIComponent(f.fileId)}${download ? '?download=1' : ''}`;

/**
 * One chat as its page draws it: messages with their safe HTML and file addresses (never bytes, so a
 * poll stays small), the reply keyboard, the command menu and the latest callback answers (toasts).
 */
export function chatState(core: TelegramSandboxCore, chat: SandboxChat) {
  return {
    version: core.store.version,
    chat: {
      id: chat.id,
      type: chat.type,
      title: chat.title ?? [chat.user?.firstName, chat.user?.lastName].filter(Boolean).join(' '),
      username: chat.user?.username,
      blocked: chat.blocked,
      writable: chat.type === 'private',
    },
    bot: { firstName: core.bot.firstName, username: core.bot.username },
    messages: chat.messages.map((m) => messageState(chat.id, m, core)),
    replyKeyboard: chat.replyKeyboard ?? null,
    commands: chat.type === 'private' ? core.store.menuOf(chat.id, chat.user?.languageCode) : [],
    answers: core.store
      .callbackAnswers(chat.id)
      .slice(-RECENT_ANSWERS)
      .map((a) => ({ queryId: a.queryId, text: a.text, showAlert: a.showAlert })),
  };
}

function messageState(chatId: number, m: ChatMessage, core: TelegramSandboxCore) {
  const sticker = m.sticker === undefined ? undefined : core.store.file(m.sticker);
  const stickerImage = sticker?.mimeType?.startsWith('image/') && sticker.bytes.length > 0;
  return {
    id: m.id,
    from: m.from,
    date: m.date,
    edited: m.editDate !== undefined,
    text: m.text,
    caption: m.caption,
    html: m.html,
    replyToMessageId: m.replyToMessageId,
    forwarded: m.forwardedFrom !== undefined,
    photo: m.photo && { url: fileUrl(chatId, m.photo), width: m.photo.width, height: m.photo.height },
    document: m.document && {
      url: fileUrl(chatId, m.document, true),
      filename: m.document.filename ?? 'file',
      size: m.document.bytes.length,
    },
    sticker:
      m.sticker === undefined
        ? undefined
        : stickerImage && sticker
          ? { url: fileUrl(chatId, sticker) }
          : { emoji: STICKER_EMOJI },
    inlineKeyboard: m.inlineKeyboard?.map((row) =>
      row.map((b) => ({ text: b.text, callback_data: b.callback_data, url: b.url })),
    ),
  };
}

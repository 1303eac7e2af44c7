import { z } from 'zod';
import { badRequest } from './api-error';
import { formatText, type Formatted } from './formatting';
import { readMarkup } from './markup';
import { resolveFile, type FileKind } from './media';
import type { ChatMessage, SandboxChat } from './model';
import {
  chatId,
  int,
  readParams,
  reply,
  text,
  type BotApiCall,
  type BotApiDeps,
  type BotMethod,
} from './params';
import { wireMessage } from './wire';

/** Bot API limits (sendMessage, sendPhoto), counted after parse_mode is applied. */
const MAX_TEXT = 4096;
const MAX_CAPTION = 1024;

const sendMessageParams = z.object({ chat_id: chatId, text: text, ...reply });
const mediaParams = z.object({ chat_id: chatId, caption: text.optional(), ...reply });
const copyParams = z.object({
  chat_id: chatId,
  from_chat_id: chatId,
  message_id: int,
  caption: text.optional(),
  ...reply,
});

export function messageText(source: string, parseMode: string | undefined): Formatted {
  const shown = formatText(source, parseMode);
  if (shown.text.trim() === '') throw badRequest('message text is empty');
  if (shown.text.length > MAX_TEXT) throw badRequest('message is too long');
  return shown;
}

export function captionText(
  source: string | undefined,
  parseMode: string | undefined,
): Formatted | undefined {
  if (source === undefined) return undefined;
  const shown = formatText(source, parseMode);
  if (shown.text.length > MAX_CAPTION) throw badRequest('message caption is too long');
  return shown.text === '' ? undefined : shown;
}

/** The message being replied to must exist unless the bot allows sending without it. */
function replyTarget(
  chat: SandboxChat,
  a: z.output<typeof sendMessageParams | typeof mediaParams>,
): number | undefined {
  const id = a.reply_parameters?.message_id ?? a.reply_to_message_id;
  if (id === undefined) return undefined;
  if (chat.messages.some((m) => m.id === id)) return id;
  if (a.reply_parameters?.allow_sending_without_reply ?? a.allow_sending_without_reply) return undefined;
  throw badRequest('message to be replied not found');
}

function post(deps: BotApiDeps, chat: SandboxChat, message: Omit<ChatMessage, 'id' | 'chatId' | 'date'>) {
  const shown = deps.store.append(chat, message);
  return wireMessage(shown, chat, deps.bot, (id) => deps.store.find(id));
}

function sendMedia(field: FileKind): BotMethod {
  return (call: BotApiCall, deps: BotApiDeps) => {
    const a = readParams(mediaParams, call);
    const chat = deps.store.writable(a.chat_id);
    const markup = readMarkup(a.reply_markup);
    const file = resolveFile(call, field, field, deps.store);
    const caption = field === 'sticker' ? undefined : captionText(a.caption, a.parse_mode);
    return post(deps, chat, {
      from: 'bot',
      ...(field === 'sticker' ? { sticker: file.fileId } : { [field]: file }),
      caption: caption?.text,
      html: caption?.html,
      parseMode: a.parse_mode,
      replyToMessageId: replyTarget(chat, a),
      ...markup,
    });
  };
}

export const sendMethods: Record<string, BotMethod> = {
  sendMessage: (call, deps) => {
    const a = readParams(sendMessageParams, call);
    const chat = deps.store.writable(a.chat_id);
    const shown = messageText(a.text, a.parse_mode);
    const markup = readMarkup(a.reply_markup);
    return post(deps, chat, {
      from: 'bot',
      text: shown.text,
      html: shown.html,
      parseMode: a.parse_mode,
      replyToMessageId: replyTarget(chat, a),
      ...markup,
    });
  },

  sendPhoto: sendMedia('photo'),
  sendDocument: sendMedia('document'),
  sendSticker: sendMedia('sticker'),

  copyMessage: (call, deps) => {
    const a = readParams(copyParams, call);
    const original = deps.store.message(deps.store.known(a.from_chat_id), a.message_id);
    const chat = deps.store.writable(a.chat_id);
    if (!original) throw badRequest('message to copy not found');
    const markup = readMarkup(a.reply_markup);
    const newCaption = a.caption !== undefined ? captionText(a.caption, a.parse_mode) : undefined;
    const caption = a.caption !== undefined ? newCaption?.text : original.caption;
    const html = a.caption !== undefined && original.text === undefined ? newCaption?.html : original.html;
    const copy = deps.store.append(chat, {
      from: 'bot',
      text: original.text,
      caption: original.text === undefined ? caption : undefined,
      html,
      photo: original.photo,
      document: original.document,
      sticker: original.sticker,
      replyToMessageId: replyTarget(chat, a),
      // Without a new markup the copy keeps the original's buttons.
      inlineKeyboard: markup.inlineKeyboard ?? (markup.keyboard ? undefined : original.inlineKeyboard),
      keyboard: markup.keyboard,
    });
    return { message_id: copy.id };
  },

  forwardMessage: (call, deps) => {
    const a = readParams(copyParams.omit({ caption: true }), call);
    const from = deps.store.known(a.from_chat_id);
    const original = deps.store.message(from, a.message_id);
    const chat = deps.store.writable(a.chat_id);
    if (!original) throw badRequest('message to forward not found');
    const { text: shown, caption, html, photo, document, sticker } = original;
    return post(deps, chat, {
      from: 'bot',
      text: shown,
      caption,
      html,
      photo,
      document,
      sticker,
      forwardedFrom: { chatId: from.id, messageId: original.id },
    });
  },

  sendChatAction: (call, deps) => {
    const a = readParams(z.object({ chat_id: chatId, action: z.string().min(1) }), call);
    deps.store.writable(a.chat_id);
    return true;
  },
};

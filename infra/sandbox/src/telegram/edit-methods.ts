import { z } from 'zod';
import { badRequest, refusals } from './api-error';
import { unixNow } from './chat-store';
import { readInlineMarkup, sameKeyboard } from './markup';
import { resolveFile } from './media';
import type { ChatMessage, InlineButton, SandboxFile } from './model';
import {
  chatId,
  int,
  json,
  readParams,
  text,
  type BotApiCall,
  type BotApiDeps,
  type BotMethod,
} from './params';
import { captionText, messageText } from './send-methods';
import { wireMessage } from './wire';

const target = {
  chat_id: chatId.optional(),
  message_id: int.optional(),
  inline_message_id: z.string().optional(),
  reply_markup: z.unknown().optional(),
  parse_mode: z.string().optional(),
};

/** The bot's own message an edit names; inline-mode messages are not part of the sandbox. */
function editable(call: BotApiCall, deps: BotApiDeps, a: { chat_id?: number | string; message_id?: number }) {
  if (a.chat_id === undefined) {
    throw badRequest(
      call.params.inline_message_id ? 'inline messages are not supported by the sandbox' : 'chat_id is empty',
    );
  }
  if (a.message_id === undefined) throw badRequest('message identifier is not specified');
  const chat = deps.store.writable(a.chat_id);
  const message = deps.store.message(chat, a.message_id);
  if (!message) throw refusals.editNotFound();
  if (message.from !== 'bot') throw badRequest("message can't be edited");
  return { chat, message };
}

/**
 * Applies an edit, or refuses it as "not modified" when nothing would change. A missing reply_markup
 * removes the buttons, exactly as Telegram does: the most common surprise when editing a menu.
 */
function applyEdit(
  deps: BotApiDeps,
  { chat, message }: ReturnType<typeof editable>,
  change: {
    text?: string;
    caption?: string;
    html?: string;
    media?: { kind: 'photo' | 'document'; file: SandboxFile };
    inlineKeyboard: InlineButton[][] | undefined;
  },
) {
  const { media } = change;
  const same =
    (media === undefined || media.file.fileId === message[media.kind]?.fileId) &&
    (change.text === undefined || change.text === message.text) &&
    (change.caption === undefined || change.caption === (message.caption ?? '')) &&
    sameKeyboard(change.inlineKeyboard, message.inlineKeyboard);
  if (same) throw refusals.notModified();
  if (media) {
    message.photo = media.kind === 'photo' ? media.file : undefined;
    message.document = media.kind === 'document' ? media.file : undefined;
  }
  if (change.text !== undefined) message.text = change.text;
  if (change.caption !== undefined) message.caption = change.caption === '' ? undefined : change.caption;
  if (change.text !== undefined || change.caption !== undefined) message.html = change.html;
  message.inlineKeyboard = change.inlineKeyboard;
  message.editDate = unixNow();
  deps.store.changed();
  return wireMessage(message, chat, deps.bot, (id) => deps.store.find(id));
}

const hasMedia = (m: ChatMessage) => m.photo !== undefined || m.document !== undefined;

const inputMedia = z.object({
  type: z.enum(['photo', 'document']),
  media: z.string().min(1),
  caption: z.string().optional(),
  parse_mode: z.string().optional(),
});

export const editMethods: Record<string, BotMethod> = {
  editMessageText: (call, deps) => {
    const a = readParams(z.object({ ...target, text: text }), call);
    const found = editable(call, deps, a);
    if (found.message.text === undefined) throw badRequest('there is no text in the message to edit');
    const shown = messageText(a.text, a.parse_mode);
    const inlineKeyboard = readInlineMarkup(a.reply_markup);
    return applyEdit(deps, found, { text: shown.text, html: shown.html, inlineKeyboard });
  },

  editMessageCaption: (call, deps) => {
    const a = readParams(z.object({ ...target, caption: text.optional() }), call);
    const found = editable(call, deps, a);
    if (!hasMedia(found.message)) throw badRequest('there is no caption in the message to edit');
    const caption = captionText(a.caption ?? '', a.parse_mode);
    const inlineKeyboard = readInlineMarkup(a.reply_markup);
    return applyEdit(deps, found, { caption: caption?.text ?? '', html: caption?.html, inlineKeyboard });
  },

  /**
   * A photo or document message gets another file (an upload by `attach://`, or a file id) and caption.
   * Only photos and documents: the sandbox has no audio, video or animation messages.
   */
  editMessageMedia: (call, deps) => {
    const a = readParams(z.object({ ...target, media: json(inputMedia) }), call);
    const found = editable(call, deps, a);
    if (!hasMedia(found.message)) throw badRequest('there is no media in the message to edit');
    const file = resolveFile(
      { ...call, params: { media: a.media.media } },
      'media',
      a.media.type,
      deps.store,
    );
    const caption = captionText(a.media.caption ?? '', a.media.parse_mode);
    const media = { kind: a.media.type, file };
    const inlineKeyboard = readInlineMarkup(a.reply_markup);
    return applyEdit(deps, found, {
      media,
      caption: caption?.text ?? '',
      html: caption?.html,
      inlineKeyboard,
    });
  },

  editMessageReplyMarkup: (call, deps) => {
    const a = readParams(z.object(target), call);
    const found = editable(call, deps, a);
    return applyEdit(deps, found, { inlineKeyboard: readInlineMarkup(a.reply_markup) });
  },

  /** In a private chat a bot may delete the user's messages too. */
  deleteMessage: (call, deps) => {
    const a = readParams(z.object({ chat_id: chatId, message_id: int }), call);
    const chat = deps.store.known(a.chat_id);
    if (!deps.store.remove(chat, a.message_id)) throw refusals.deleteNotFound();
    return true;
  },

  deleteMessages: (call, deps) => {
    const a = readParams(
      z.object({ chat_id: chatId, message_ids: json(z.array(int).min(1).max(100)) }),
      call,
    );
    const chat = deps.store.known(a.chat_id);
    const removed = a.message_ids.filter((id) => deps.store.remove(chat, id));
    if (removed.length === 0) throw refusals.deleteNotFound();
    return true;
  },
};

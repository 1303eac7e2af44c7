/** What the sandbox keeps: chats as a person would see them, not as the Bot API sends them. */

export type ChatType = 'private' | 'group' | 'supergroup' | 'channel';

export interface SandboxUser {
  id: number;
  firstName: string;
  username?: string;
  lastName?: string;
  languageCode?: string;
}

/** Bytes the bot or a user uploaded, or a URL the bot named (never fetched: the sandbox stays offline). */
export interface SandboxFile {
  fileId: string;
  fileUniqueId: string;
  bytes: Buffer;
  filename?: string;
  mimeType?: string;
  url?: string;
  width?: number;
  height?: number;
}

export interface InlineButton {
  text: string;
  callback_data?: string;
  url?: string;
  [other: string]: unknown;
}

/** The non-inline markups: they change the user's keyboard, not the message they came with. */
export type KeyboardMarkup =
  | {
      keyboard: { text: string; [other: string]: unknown }[][];
      one_time_keyboard?: boolean;
      [other: string]: unknown;
    }
  | { remove_keyboard: true }
  | { force_reply: true; input_field_placeholder?: string };

export interface ChatMessage {
  id: number;
  chatId: number;
  from: 'bot' | 'user';
  /** Unix seconds, as Telegram's `date`. */
  date: number;
  editDate?: number;
  text?: string;
  /** The parse_mode the bot used; `text` and `caption` hold what the user reads, markup applied. */
  parseMode?: string;
  caption?: string;
  /** The text or caption as the chat page shows it: safe markup, only Telegram's tags (formatting.ts). */
  html?: string;
  photo?: SandboxFile;
  document?: SandboxFile;
  sticker?: string;
  /** Buttons under the message; edits change them. */
  inlineKeyboard?: InlineButton[][];
  keyboard?: KeyboardMarkup;
  replyToMessageId?: number;
  forwardedFrom?: { chatId: number; messageId: number };
  /** Set on the user's own messages, e.g. the bot_command entity of `/start`. */
  entities?: { type: string; offset: number; length: number }[];
}

export interface SandboxChat {
  id: number;
  type: ChatType;
  title?: string;
  /** The person of a private chat (its id equals the user's id, as in Telegram). */
  user?: SandboxUser;
  blocked: boolean;
  nextMessageId: number;
  messages: ChatMessage[];
  /** Rows of the reply keyboard the user has now, from the latest keyboard or remove_keyboard sent. */
  replyKeyboard?: string[][];
  chatInstance: string;
  /** A basic group Telegram upgraded: the supergroup's id, which every call to this one is told. */
  migratedTo?: number;
}

export interface CallbackAnswer {
  queryId: string;
  userId: number;
  messageId: number;
  data: string;
  text?: string;
  showAlert: boolean;
  url?: string;
  /** Milliseconds from the press to this answer: what a person waited with a spinning button. */
  answeredAfterMs: number;
}

export interface BotCommand {
  command: string;
  description: string;
}

export interface BotProfile {
  id: number;
  firstName: string;
  username: string;
}

import { createHash, randomBytes } from 'node:crypto';
import { refusals } from './api-error';
import type {
  BotCommand,
  CallbackAnswer,
  ChatMessage,
  ChatType,
  SandboxChat,
  SandboxFile,
  SandboxUser,
} from './model';

interface PendingQuery {
  userId: number;
  chatId: number;
  messageId: number;
  data: string;
  answered: boolean;
  /** Date.now() at the press: Telegram takes the answer only within a window after it. */
  openedAt: number;
}

/**
 * Every chat's visible state, the files, callback queries and command menus. Listeners hear about every
 * change, so waiting tests wake at once instead of polling on a timer.
 */
export class ChatStore {
  private readonly chats = new Map<number, SandboxChat>();
  private readonly files = new Map<string, SandboxFile>();
  private readonly queries = new Map<string, PendingQuery>();
  private answers: CallbackAnswer[] = [];
  private readonly listeners = new Set<() => void>();
  /** Per scope key (see scopeKey); the bot's own settings, so `reset` keeps them. */
  readonly commands = new Map<string, BotCommand[]>();
  /** Grows with every change; the chat page reloads when it moves. */
  version = 0;
  /** How long after a press answerCallbackQuery is accepted (TelegramLimits.callbackAnswerSeconds). */
  callbackAnswerMs = 15_000;
  private fileSeq = 0;
  private querySeq = 0;

  /** Registers the user's private chat, or refreshes the names of one already there. */
  addUser(user: SandboxUser): SandboxChat {
    const chat = this.chats.get(user.id) ?? this.newChat(user.id, 'private');
    chat.user = { ...user };
    return chat;
  }

  addChat(id: number, type: ChatType, title: string): SandboxChat {
    const chat = this.chats.get(id) ?? this.newChat(id, type);
    chat.title = title;
    return chat;
  }

  /** The command menu a private chat shows: the first list set for chat, all_private_chats, then default. */
  menuOf(chatId: number, languageCode?: string): BotCommand[] {
    const keys = [`chat:${chatId}`, 'all_private_chats', 'default'];
    const withLanguage = languageCode ? keys.flatMap((k) => [`${k}/${languageCode}`, k]) : keys;
    for (const key of withLanguage) {
      const list = this.commands.get(key);
      if (list) return list.map((c) => ({ ...c }));
    }
    return [];
  }

  find(chatId: number): SandboxChat | undefined {
    return this.chats.get(chatId);
  }

  all(): SandboxChat[] {
    return [...this.chats.values()];
  }

  /** The chat the bot names, or Telegram's 400 (for an upgraded group, naming its supergroup). */
  known(chatId: number | string): SandboxChat {
    const chat = typeof chatId === 'number' ? this.chats.get(chatId) : undefined;
    if (!chat) throw refusals.chatNotFound();
    if (chat.migratedTo !== undefined) throw refusals.migrated(chat.migratedTo);
    return chat;
  }

  /** A chat the bot may post to or edit in: a user who blocked the bot answers 403. */
  writable(chatId: number | string): SandboxChat {
    const chat = this.known(chatId);
    if (chat.blocked) throw refusals.blocked();
    return chat;
  }

  append(chat: SandboxChat, message: Omit<ChatMessage, 'id' | 'chatId' | 'date'>): ChatMessage {
    const shown: ChatMessage = { ...message, id: chat.nextMessageId++, chatId: chat.id, date: unixNow() };
    chat.messages.push(shown);
    const keyboard = message.keyboard;
    if (keyboard && 'keyboard' in keyboard)
      chat.replyKeyboard = keyboard.keyboard.map((row) => row.map((b) => b.text));
    if (keyboard && 'remove_keyboard' in keyboard) chat.replyKeyboard = undefined;
    this.changed();
    return shown;
  }

  message(chat: SandboxChat, messageId: number): ChatMessage | undefined {
    return chat.messages.find((m) => m.id === messageId);
  }

  remove(chat: SandboxChat, messageId: number): boolean {
    const before = chat.messages.length;
    chat.messages = chat.messages.filter((m) => m.id !== messageId);
    this.changed();
    return chat.messages.length < before;
  }

  storeFile(
    file: Omit<SandboxFile, 'fileId' | 'fileUniqueId'>,
    kind: 'photo' | 'document' | 'sticker',
  ): SandboxFile {
    // Same bytes, same unique id, as Telegram does; a new file_id for every upload.
    const fileUniqueId =
      'AQAD' +
      createHash('sha256')
        .update(file.bytes)
        .update(file.url ?? '')
        .digest('base64url')
        .slice(0, 12);
    const fileId = `${kind}-${++this.fileSeq}-${randomBytes(6).toString('base64url')}`;
    const stored = { ...file, fileId, fileUniqueId };
    this.files.set(fileId, stored);
    return stored;
  }

  file(fileId: string): SandboxFile | undefined {
    return this.files.get(fileId);
  }

  openQuery(userId: number, chatId: number, messageId: number, data: string): string {
    const id = `${Date.now()}${String(++this.querySeq).padStart(6, '0')}`;
    this.queries.set(id, { userId, chatId, messageId, data, answered: false, openedAt: Date.now() });
    return id;
  }

  /** Each callback query can be answered once and only soon after the press, as in Telegram. */
  answer(queryId: string, reply: { text?: string; showAlert: boolean; url?: string }): void {
    const query = this.queries.get(queryId);
    const answeredAfterMs = query ? Date.now() - query.openedAt : 0;
    if (!query || query.answered || answeredAfterMs > this.callbackAnswerMs) throw refusals.oldQuery();
    query.answered = true;
    const { userId, messageId, data } = query;
    this.answers.push({ queryId, userId, messageId, data, ...reply, answeredAfterMs });
    this.changed();
  }

  callbackAnswers(userId?: number): CallbackAnswer[] {
    return this.answers.filter((a) => userId === undefined || a.userId === userId).map((a) => ({ ...a }));
  }

  setBlocked(chat: SandboxChat, blocked: boolean): boolean {
    const changed = chat.blocked !== blocked;
    chat.blocked = blocked;
    this.changed();
    return changed;
  }

  /** Forgets what tests made: chats, files, callback queries. The command menus are the bot's, kept. */
  reset(): void {
    this.chats.clear();
    this.files.clear();
    this.queries.clear();
    this.answers = [];
    this.changed();
  }

  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  changed(): void {
    this.version++;
    for (const listener of [...this.listeners]) listener();
  }

  private newChat(id: number, type: ChatType): SandboxChat {
    const chat: SandboxChat = {
      id,
      type,
      blocked: false,
      nextMessageId: 1,
      messages: [],
      chatInstance: String(BigInt.asIntN(64, BigInt('0x' + randomBytes(8).toString('hex')))),
    };
    this.chats.set(id, chat);
    this.changed();
    return chat;
  }
}

export const unixNow = (): number => Math.floor(Date.now() / 1000);

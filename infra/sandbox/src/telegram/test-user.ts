import type { ChatStore } from './chat-store';
import type { BotCommand, CallbackAnswer, ChatMessage, InlineButton, SandboxUser } from './model';
import type { UserActions } from './user-actions';

/** How long a wait may take before failing; a loaded CI machine may want more (TELEGRAM_SANDBOX_WAIT_MS). */
const DEFAULT_WAIT_MS = Number(process.env.TELEGRAM_SANDBOX_WAIT_MS ?? 10_000);

export interface WaitOptions {
  timeoutMs?: number;
  /** Only messages with a greater id, e.g. the id of the user's own last message. */
  after?: number;
}

export type ButtonMatch = string | ((button: InlineButton, message: ChatMessage) => boolean);

/** Reads one chat as its member sees it: for a group chat the bot posts to, and the base of a user. */
export class TelegramChatView {
  constructor(
    protected readonly store: ChatStore,
    readonly chatId: number,
  ) {}

  /** The messages shown now, oldest first: deleted ones gone, edits applied. */
  messages(): ChatMessage[] {
    return (this.store.find(this.chatId)?.messages ?? []).map((m) => ({ ...m }));
  }

  botMessages(): ChatMessage[] {
    return this.messages().filter((m) => m.from === 'bot');
  }

  lastBotMessage(): ChatMessage | undefined {
    return this.botMessages().at(-1);
  }

  /** The first shown bot message that matches, as soon as there is one; rejects showing the chat's tail. */
  waitFor(predicate: (message: ChatMessage) => boolean, options: WaitOptions = {}): Promise<ChatMessage> {
    return this.waitForMessage(predicate, options, 'bot message matching the predicate');
  }

  waitForText(match: string | RegExp, options: WaitOptions = {}): Promise<ChatMessage> {
    const matches = (s: string | undefined) =>
      s !== undefined && (typeof match === 'string' ? s.includes(match) : match.test(s));
    const what = `bot message with text ${typeof match === 'string' ? JSON.stringify(match) : String(match)}`;
    return this.waitForMessage((m) => matches(m.text) || matches(m.caption), options, what);
  }

  inlineButtons(message: ChatMessage): string[][] {
    return (message.inlineKeyboard ?? []).map((row) => row.map((b) => b.text));
  }

  private waitForMessage(predicate: (m: ChatMessage) => boolean, options: WaitOptions, what: string) {
    const after = options.after ?? 0;
    return this.waitUntil(
      () => this.botMessages().find((m) => m.id > after && predicate(m)),
      options.timeoutMs,
      what,
    );
  }

  /** Resolves with `probe`'s first defined value, re-checked on every change to the sandbox. */
  protected waitUntil<T>(probe: () => T | undefined, timeoutMs = DEFAULT_WAIT_MS, what: string): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const check = () => {
        const found = probe();
        if (found === undefined) return;
        stop();
        resolve(found);
      };
      const timer = setTimeout(() => {
        stop();
        reject(new Error(`chat ${this.chatId}: no ${what} within ${timeoutMs} ms.\n${this.describeTail()}`));
      }, timeoutMs);
      const unsubscribe = this.store.onChange(check);
      const stop = () => {
        clearTimeout(timer);
        unsubscribe();
      };
      check();
    });
  }

  protected describeTail(count = 6): string {
    const shown = this.messages().slice(-count);
    if (shown.length === 0) return 'The chat is empty.';
    return `Last ${shown.length} messages:\n` + shown.map(describeMessage).join('\n');
  }
}

export function describeMessage(m: ChatMessage): string {
  const body = m.text ?? m.caption ?? (m.sticker !== undefined ? `[sticker ${m.sticker}]` : '');
  const media = m.photo ? '[photo] ' : m.document ? `[document ${m.document.filename ?? ''}] ` : '';
  const buttons = m.inlineKeyboard
    ? ` [buttons: ${m.inlineKeyboard.map((r) => r.map((b) => b.text).join(' | ')).join(' / ')}]`
    : '';
  return `  #${m.id} ${m.from}: ${media}${JSON.stringify(body)}${buttons}`;
}

/** A Telegram user for tests: writes, presses buttons and reads the chat with the bot. */
export class TelegramTestUser extends TelegramChatView {
  /** The user's id, which is also their private chat's id. */
  readonly id: number;

  constructor(
    store: ChatStore,
    private readonly actions: UserActions,
    readonly profile: SandboxUser,
  ) {
    super(store, profile.id);
    this.id = profile.id;
  }

  /** A `/command` gets its bot_command entity, as in Telegram. */
  async send(text: string): Promise<ChatMessage> {
    return this.actions.send(this.profile, { text });
  }

  async sendPhoto(bytes: Buffer, caption?: string): Promise<ChatMessage> {
    return this.actions.send(this.profile, { photo: { bytes }, caption });
  }

  async reply(toMessageId: number, text: string): Promise<ChatMessage> {
    return this.actions.send(this.profile, { text, replyTo: toMessageId });
  }

  /** A reply-keyboard button sends its text; refused when the current keyboard has no such button. */
  async tapKeyboard(text: string): Promise<ChatMessage> {
    const rows = this.replyKeyboard();
    if (!rows?.some((row) => row.includes(text))) {
      const shown = rows ? rows.map((r) => r.join(' | ')).join(' / ') : 'none';
      throw new Error(`chat ${this.chatId}: no keyboard button "${text}"; the keyboard has: ${shown}`);
    }
    return this.send(text);
  }

  /** Presses a callback button on the latest bot message that has it; returns the callback query id. */
  async press(match: ButtonMatch): Promise<string> {
    const test = typeof match === 'string' ? (b: InlineButton) => b.text === match : match;
    for (const message of this.botMessages().reverse()) {
      const button = message.inlineKeyboard?.flat().find((b) => test(b, message));
      if (button) return this.pressButton(message, button);
    }
    const available = this.botMessages()
      .filter((m) => m.inlineKeyboard)
      .map(
        (m) =>
          `#${m.id}: ${this.inlineButtons(m)
            .flat()
            .map((t) => JSON.stringify(t))
            .join(', ')}`,
      );
    throw new Error(
      `chat ${this.chatId}: no inline button ${describeMatch(match)}. ` +
        `Buttons shown: ${available.length > 0 ? available.join('; ') : 'none'}.\n${this.describeTail()}`,
    );
  }

  /** Presses a button on a given (older) message. */
  async pressOn(messageId: number, text: string): Promise<string> {
    const message = this.messages().find((m) => m.id === messageId);
    const button = message?.inlineKeyboard?.flat().find((b) => b.text === text);
    if (!message || !button) {
      throw new Error(
        `chat ${this.chatId}: message #${messageId} has no button "${text}".\n${this.describeTail()}`,
      );
    }
    return this.pressButton(message, button);
  }

  callbackAnswers(): CallbackAnswer[] {
    return this.store.callbackAnswers(this.profile.id);
  }

  /** The answer the bot gave to a press (answerCallbackQuery). */
  waitForCallbackAnswer(queryId: string, timeoutMs?: number): Promise<CallbackAnswer> {
    const probe = () => this.callbackAnswers().find((a) => a.queryId === queryId);
    return this.waitUntil(probe, timeoutMs, `answer to callback query ${queryId}`);
  }

  /** Rows of the reply keyboard the bot last gave this user; undefined once removed. */
  replyKeyboard(): string[][] | undefined {
    return this.store.find(this.chatId)?.replyKeyboard?.map((row) => [...row]);
  }

  /** The command menu this user sees: the first list set for chat, all_private_chats, then default. */
  commands(languageCode = this.profile.languageCode): BotCommand[] {
    return this.store.menuOf(this.chatId, languageCode);
  }

  private pressButton(message: ChatMessage, button: InlineButton): string {
    if (button.callback_data === undefined) {
      throw new Error(
        `chat ${this.chatId}: button "${button.text}" on #${message.id} has no callback_data (url: ${String(button.url)})`,
      );
    }
    return this.actions.press(this.profile, message.id, button.callback_data);
  }
}

function describeMatch(match: ButtonMatch): string {
  return typeof match === 'string' ? `"${match}"` : 'matching the predicate';
}

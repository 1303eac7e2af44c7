import { performance } from 'node:perf_hooks';
import type { ChatMessage, InlineButton, TelegramSandbox } from '@quickcart/sandbox';

type Store = TelegramSandbox['store'];

interface Waiter {
  chatId: number;
  probe: () => unknown;
  done: (found: unknown, at: number) => void;
}

/**
 * Wakes waiting customers on every change to the in-process Telegram sandbox, and stamps the moment:
 * the change runs inside the sandbox's handler of the bot's call, so the stamp is when the reply
 * reached "Telegram", not when the bench got round to looking.
 */
export class ReplyWatch {
  private readonly byChat = new Map<number, Set<Waiter>>();
  /** Chats the bot touched since the last change was handled; empty means "look at every chat". */
  private readonly touched = new Set<number>();
  private onlyAnswered = false;

  constructor(store: Store) {
    // With thousands of waiting customers, probing them all on every change would load the bench
    // itself; the store's chat lookups (every send, edit and delete makes one) say which chats to probe.
    const s = store as unknown as Record<
      'append' | 'remove' | 'message',
      (chat: { id: number }, ...r: unknown[]) => unknown
    >;
    for (const method of ['append', 'remove', 'message'] as const) {
      const original = s[method].bind(store);
      s[method] = (chat, ...rest) => {
        this.touched.add(chat.id);
        return original(chat, ...rest);
      };
    }
    // A callback answer names no chat and no customer waits on one: nothing to probe.
    const answer = store.answer.bind(store);
    store.answer = (...a) => {
      this.onlyAnswered = true;
      return answer(...a);
    };
    store.onChange(() => this.check());
  }

  /** Resolves with probe's first defined value and the time it showed; rejects after timeoutMs. */
  until<T>(
    chatId: number,
    probe: () => T | undefined,
    timeoutMs: number,
    what: string,
  ): Promise<{ found: T; at: number }> {
    return new Promise((resolve, reject) => {
      const waiters = this.byChat.get(chatId) ?? new Set<Waiter>();
      this.byChat.set(chatId, waiters);
      const timer = setTimeout(() => {
        waiters.delete(waiter);
        reject(new Error(`no ${what} within ${timeoutMs} ms`));
      }, timeoutMs);
      const waiter: Waiter = {
        chatId,
        probe,
        done: (found, at) => {
          clearTimeout(timer);
          waiters.delete(waiter);
          resolve({ found: found as T, at });
        },
      };
      waiters.add(waiter);
      const found = probe();
      if (found !== undefined) waiter.done(found, performance.now());
    });
  }

  private check(): void {
    const now = performance.now();
    const answered = this.onlyAnswered;
    this.onlyAnswered = false;
    if (this.touched.size === 0 && answered) return;
    const chats = this.touched.size > 0 ? [...this.touched] : [...this.byChat.keys()];
    this.touched.clear();
    for (const chatId of chats) {
      for (const w of [...(this.byChat.get(chatId) ?? [])]) {
        const found = w.probe();
        if (found !== undefined) w.done(found, now);
      }
    }
  }
}

export const textOf = (m: ChatMessage): string => m.text ?? m.caption ?? '';
/** Lines of the message that are stock items (`prefix…`): in the receipt's caption or a goods message. */
export const goodsLines = (m: ChatMessage, prefix: string): string[] =>
  textOf(m)
    .split('\n')
    .filter((l) => l.startsWith(prefix));
const buttonTexts = (m: ChatMessage): string[] => (m.inlineKeyboard ?? []).flat().map((b) => b.text);
export const hasButton = (m: ChatMessage, match: (text: string) => boolean) => buttonTexts(m).some(match);

/** The bot's answer when an update failed inside it (services/gateway copy/customer.ts, text.tryAgain). */
export const FAILED_UPDATE = 'Terjadi gangguan';

export interface Reply<T> {
  found: T;
  /** From the update being queued for the bot to the reply reaching the sandbox. */
  ms: number;
  at: number;
}

/** One simulated person chatting with the bot through the in-process sandbox. */
export class Customer {
  readonly profile: { id: number; firstName: string };

  constructor(
    private readonly telegram: TelegramSandbox,
    private readonly watch: ReplyWatch,
    readonly id: number,
  ) {
    this.profile = { id, firstName: `Bench ${id}` };
    telegram.user(this.profile);
  }

  /** The live message list (no copy): probes run on every sandbox change and must stay cheap. */
  private live(): ChatMessage[] {
    return this.telegram.store.find(this.id)?.messages ?? [];
  }

  /** The newest bot message after `afterId` (or from it on, with `including`) that matches, if any. */
  newest(afterId: number, match: (m: ChatMessage) => boolean, including = false): ChatMessage | undefined {
    const messages = this.live();
    for (let i = messages.length - 1; i >= 0; i--) {
      const m = messages[i]!;
      if (m.id < afterId || (m.id === afterId && !including)) return undefined;
      if (m.from === 'bot' && match(m)) return m;
    }
    return undefined;
  }

  /** Sends text; resolves when `answer` finds the reply among the bot's messages after it. */
  async send<T>(text: string, answer: (afterId: number) => T | undefined, timeoutMs: number) {
    const t0 = performance.now();
    const mine = this.telegram.actions.send(this.profile, { text });
    return this.await(t0, () => this.failure(mine.id) ?? answer(mine.id), timeoutMs, `reply to "${text}"`);
  }

  /** Presses the button whose text matches on `message`; resolves when `answer` finds the reply. */
  async press<T>(
    message: ChatMessage,
    buttonText: string | ((text: string) => boolean),
    answer: () => T | undefined,
    timeoutMs: number,
  ) {
    const matches = typeof buttonText === 'string' ? (t: string) => t === buttonText : buttonText;
    const button = (message.inlineKeyboard ?? []).flat().find((b: InlineButton) => matches(b.text));
    if (!button?.callback_data) {
      throw new Error(
        `chat ${this.id}: no button ${String(buttonText)} on #${message.id}: ${textOf(message)}`,
      );
    }
    const before = this.lastId();
    const t0 = performance.now();
    this.telegram.actions.press(this.profile, message.id, button.callback_data);
    const probe = () => this.failure(before) ?? answer();
    return this.await(t0, probe, timeoutMs, `answer to "${button.text}"`);
  }

  /** Waits for something to show in this chat (no update sent): e.g. goods after a payment. */
  watchFor<T>(probe: () => T | undefined, timeoutMs: number, what: string) {
    return this.watch.until(this.id, probe, timeoutMs, `chat ${this.id}: ${what}`);
  }

  lastId(): number {
    return this.live().at(-1)?.id ?? 0;
  }

  private failure(afterId: number): Error | undefined {
    const failed = this.newest(afterId, (m) => textOf(m).includes(FAILED_UPDATE));
    return failed && new Error(`chat ${this.id}: the bot answered "${textOf(failed)}"`);
  }

  private async await<T>(
    t0: number,
    probe: () => T | Error | undefined,
    timeoutMs: number,
    what: string,
  ): Promise<Reply<T>> {
    const { found, at } = await this.watch.until(this.id, probe, timeoutMs, `chat ${this.id}: ${what}`);
    if (found instanceof Error) throw found;
    return { found, ms: at - t0, at };
  }
}

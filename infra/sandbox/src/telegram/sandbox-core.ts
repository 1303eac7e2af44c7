import { Conflict, Invalid, NotFound, type Logger } from '@quickcart/kit';
import { runMethod, type BotApiRouteDeps } from './api-routes';
import { ChatStore } from './chat-store';
import { TelegramFaults, type FailNextRule } from './faults';
import { DEFAULT_LIMITS, SendLimiter, telegramLimits, type TelegramLimits } from './limits';
import type { BotCommand, BotProfile, ChatType, SandboxChat, SandboxUser } from './model';
import { TelegramChatView, TelegramTestUser } from './test-user';
import { UpdateFeed } from './update-feed';
import { UserActions } from './user-actions';

export interface ChatSummary {
  id: number;
  type: ChatType;
  title?: string;
  firstName?: string;
  username?: string;
  blocked: boolean;
  messageCount: number;
}

export type CommandScope = 'default' | 'all_private_chats' | { chatId: number };

/** The sandbox without its HTTP server: what tests, the control routes and the chat page all drive. */
export class TelegramSandboxCore {
  readonly store = new ChatStore();
  readonly faults = new TelegramFaults();
  readonly feed: UpdateFeed;
  readonly actions: UserActions;
  readonly api: BotApiRouteDeps;
  private readonly sendLimiter: SendLimiter;
  private currentLimits: TelegramLimits = DEFAULT_LIMITS;

  constructor(
    readonly bot: BotProfile,
    logger: Logger,
    token: string | undefined,
    limits: Partial<TelegramLimits> = {},
  ) {
    this.sendLimiter = new SendLimiter(DEFAULT_LIMITS);
    // Webhook replies (telegraf's webhookReply) run like calls, minus the token check.
    this.feed = new UpdateFeed(
      logger,
      (method, params) =>
        runMethod(this.api, method, { params, files: new Map(), signal: new AbortController().signal }),
      () => ({
        maxPauseMs: this.currentLimits.webhookRetryMaxPauseSeconds * 1000,
        giveUpMs: this.currentLimits.webhookGiveUpSeconds * 1000,
      }),
    );
    this.api = {
      store: this.store,
      feed: this.feed,
      bot,
      faults: this.faults,
      sendLimiter: this.sendLimiter,
      logger,
      token,
    };
    this.actions = new UserActions(this.store, this.feed, bot);
    this.setLimits(limits);
  }

  /** Telegram's limits this sandbox enforces now; `changes` replaces only the ones given. */
  setLimits(changes: Partial<TelegramLimits>): TelegramLimits {
    this.currentLimits = telegramLimits.parse({ ...this.currentLimits, ...changes });
    this.sendLimiter.configure(this.currentLimits);
    this.store.callbackAnswerMs = this.currentLimits.callbackAnswerSeconds * 1000;
    return this.limits();
  }

  limits(): TelegramLimits {
    return { ...this.currentLimits };
  }

  /** 429s the send limits answered for calls naming this chat (injected faults not counted). */
  rateLimited(chatId: number): number {
    return this.sendLimiter.refused(chatId);
  }

  /** A user and their private chat (created now, so the bot may write first). */
  user(profile: SandboxUser): TelegramTestUser {
    if (!Number.isSafeInteger(profile.id) || profile.id <= 0)
      throw new Invalid('a user id is a positive integer');
    this.store.addUser(profile);
    return new TelegramTestUser(this.store, this.actions, { ...profile });
  }

  /** A group, supergroup or channel the bot may post to; ids are negative, as in Telegram. */
  createChat(chatId: number, type: Exclude<ChatType, 'private'>, title: string): TelegramChatView {
    if (!Number.isSafeInteger(chatId) || chatId >= 0)
      throw new Invalid('a group chat id is a negative integer');
    this.store.addChat(chatId, type, title);
    return new TelegramChatView(this.store, chatId);
  }

  /**
   * Telegram upgrades a basic group to a supergroup under a new id: the bot's calls naming the old id then
   * answer 400 with `migrate_to_chat_id`. Only a known basic group moves, once, to an unused negative id.
   */
  migrateChat(chatId: number, toChatId: number): TelegramChatView {
    const chat = this.store.find(chatId);
    if (!chat) throw new NotFound(`no chat ${chatId}`, 'chat');
    if (!Number.isSafeInteger(toChatId) || toChatId >= 0 || toChatId === chatId)
      throw new Invalid('the supergroup id is another negative integer');
    if (chat.type !== 'group' || chat.migratedTo !== undefined)
      throw new Conflict(`chat ${chatId} is not a basic group that can be upgraded`, 'not_a_group');
    if (this.store.find(toChatId)) throw new Conflict(`chat ${toChatId} exists already`, 'chat_exists');
    this.store.addChat(toChatId, 'supergroup', chat.title ?? '');
    chat.migratedTo = toChatId;
    this.store.changed();
    return new TelegramChatView(this.store, toChatId);
  }

  group(chatId: number): TelegramChatView {
    return new TelegramChatView(this.store, chatId);
  }

  block(userId: number): void {
    this.actions.setBlocked(this.privateChat(userId), true);
  }

  unblock(userId: number): void {
    this.actions.setBlocked(this.privateChat(userId), false);
  }

  failNext(rule: FailNextRule): void {
    this.faults.failNext(rule);
  }

  /**
   * Forgets chats, messages, files, callback answers, faults, send counts and undelivered updates. Keeps
   * the bot's own settings (webhook, commands), which the bot will not set again, and the limits.
   */
  reset(): void {
    this.store.reset();
    this.faults.reset();
    this.sendLimiter.reset();
    this.feed.clearPending();
  }

  chats(): ChatSummary[] {
    return this.store.all().map((c) => ({
      id: c.id,
      type: c.type,
      title: c.title,
      firstName: c.user?.firstName,
      username: c.user?.username,
      blocked: c.blocked,
      messageCount: c.messages.length,
    }));
  }

  /** The list setMyCommands stored for exactly this scope, as getMyCommands answers it. */
  commands(scope: CommandScope = 'default', languageCode?: string): BotCommand[] | undefined {
    const key = typeof scope === 'string' ? scope : `chat:${scope.chatId}`;
    return this.store.commands.get(key + (languageCode ? `/${languageCode}` : ''))?.map((c) => ({ ...c }));
  }

  webhookInfo(): {
    url?: string;
    secretTokenSet: boolean;
    pendingUpdateCount: number;
    lastErrorMessage?: string;
  } {
    const { settings, lastError } = this.feed.webhook;
    return {
      url: settings?.url,
      secretTokenSet: settings?.secretToken !== undefined,
      pendingUpdateCount: this.feed.pendingCount(),
      lastErrorMessage: lastError?.message,
    };
  }

  /** The private chat of a user the sandbox knows. */
  privateChat(userId: number): SandboxChat {
    const chat = this.store.find(userId);
    if (!chat || chat.type !== 'private') throw new NotFound(`no user ${userId}`, 'user');
    return chat;
  }
}

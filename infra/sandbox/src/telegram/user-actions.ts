import { Invalid, NotFound } from '@quickcart/kit';
import { unixNow, type ChatStore } from './chat-store';
import { imageSize } from './media';
import type { BotProfile, ChatMessage, SandboxChat, SandboxUser } from './model';
import type { UpdateFeed } from './update-feed';
import { botUser, personUser, wireChat, wireMessage } from './wire';

/** Telegram marks `/command` and `/command@bot` at the start of a message as a bot_command. */
const COMMAND = /^\/[A-Za-z0-9_]{1,32}(@[A-Za-z0-9_]{3,32})?/;

/**
 * What a person does in Telegram, turned into updates for the bot. Shared by the test client, the chat
 * page and the /_sandbox HTTP controls, so all three produce the same updates.
 */
export class UserActions {
  constructor(
    private readonly store: ChatStore,
    private readonly feed: UpdateFeed,
    private readonly bot: BotProfile,
  ) {}

  /** A message from the user; writing to a bot one has blocked unblocks it, as Telegram's Restart does. */
  send(
    user: SandboxUser,
    content: {
      text?: string;
      photo?: { bytes: Buffer; filename?: string };
      caption?: string;
      replyTo?: number;
    },
  ): ChatMessage {
    const chat = this.store.addUser(user);
    if (chat.blocked) this.setBlocked(chat, false);
    if (content.replyTo !== undefined && !this.store.message(chat, content.replyTo)) {
      throw new NotFound(`no message ${content.replyTo} in chat ${chat.id} to reply to`, 'message');
    }
    let photo;
    if (content.photo) {
      const size = imageSize(content.photo.bytes);
      if (!size) throw new Invalid('sendPhoto needs PNG, JPEG, GIF or WebP bytes', 'not_an_image');
      const { bytes, filename = 'photo.jpg' } = content.photo;
      photo = this.store.storeFile({ bytes, filename, mimeType: 'image/jpeg', ...size }, 'photo');
    }
    const command = content.text === undefined ? null : COMMAND.exec(content.text);
    const message = this.store.append(chat, {
      from: 'user',
      text: content.text,
      caption: content.caption,
      photo,
      replyToMessageId: content.replyTo,
      ...(command && { entities: [{ type: 'bot_command', offset: 0, length: command[0].length }] }),
    });
    this.feed.push({ message: this.wire(message, chat) });
    return message;
  }

  /** Presses the inline button with this callback_data on a message; returns the callback query id. */
  press(user: SandboxUser, messageId: number, data: string): string {
    const chat = this.store.addUser(user);
    const message = this.store.message(chat, messageId);
    if (!message) throw new NotFound(`no message ${messageId} in chat ${chat.id}`, 'message');
    const exists = message.inlineKeyboard?.some((row) => row.some((b) => b.callback_data === data));
    if (!exists)
      throw new NotFound(`message ${messageId} has no button with callback_data "${data}"`, 'button');
    const id = this.store.openQuery(user.id, chat.id, messageId, data);
    this.feed.push({
      callback_query: {
        id,
        from: personUser(chat.user ?? user),
        message: this.wire(message, chat),
        chat_instance: chat.chatInstance,
        data,
      },
    });
    return id;
  }

  /** Blocking or unblocking tells the bot through a my_chat_member update, as Telegram does. */
  setBlocked(chat: SandboxChat, blocked: boolean): void {
    if (!this.store.setBlocked(chat, blocked) || !chat.user) return;
    const member = (status: string) => ({
      user: botUser(this.bot),
      status,
      ...(status === 'kicked' && { until_date: 0 }),
    });
    this.feed.push({
      my_chat_member: {
        chat: wireChat(chat),
        from: personUser(chat.user),
        date: unixNow(),
        old_chat_member: member(blocked ? 'member' : 'kicked'),
        new_chat_member: member(blocked ? 'kicked' : 'member'),
      },
    });
  }

  private wire(message: ChatMessage, chat: SandboxChat) {
    return wireMessage(message, chat, this.bot, (id) => this.store.find(id));
  }
}

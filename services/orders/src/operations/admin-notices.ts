import type { Logger } from '@quickcart/kit';
import type { NotifyClient, NotifyMessage } from '@quickcart/notify';
import type { Users } from '../users/users';

/**
 * Notices orders itself sends to the admins through the gateway's /notify (anti-fraud flags, owner
 * alerts): best effort, once per key and chat (the gateway's idempotency); a failure is logged, never
 * thrown, so what raised the notice is never undone by Telegram.
 */
export class AdminNotices {
  constructor(
    private readonly notify: NotifyClient,
    private readonly users: Users,
    private readonly logger: Logger,
  ) {}

  async toAdmins(key: string, message: NotifyMessage, chatIds?: number[]): Promise<boolean> {
    try {
      const chats = chatIds ?? (await this.users.admins());
      for (const chatId of chats) {
        await this.notify.notify({ action: 'send', idempotencyKey: `${key}:${chatId}`, chatId, message });
      }
      return true;
    } catch (error) {
      this.logger.warn('notice not sent; going on', { key, template: message.template, error });
      return false;
    }
  }
}

import { DomainError, isRetryable, type Logger } from '@quickcart/kit';
import {
  DIGEST_MAX_NOTICES,
  type DigestedNotice,
  type NotifyClient,
  type NotifyMessage,
} from '@quickcart/notify';
import { QueryTypes } from 'sequelize';
import type { Sequelize } from 'sequelize-typescript';
import type { ShopSettings } from '../admin/shop-settings';
import type { Users } from '../users/users';

export interface AdminDigestDeps {
  sequelize: Sequelize;
  notify: NotifyClient;
  users: Users;
  settings: ShopSettings;
  logger: Logger;
  /** ADMIN_DIGEST_SECONDS = 0: every notice its own message, as before the digest. */
  oneByOne: boolean;
}

/**
 * The admins' digest (issue 20, docs/operations.md): workflows hand over their notices of what went as
 * it should (paid, expired, refunded orders and deposits) instead of sending each to every admin chat,
 * and every ADMIN_DIGEST_SECONDS one message with all of them goes to each admin and whitelisted group.
 * A busy shop then owes an admin chat one message a round, not one an order, and no notice is dropped
 * under load: a notice is marked sent only when every chat took its digest (a refusal that will not pass,
 * a blocked admin, is logged and skipped). Rows are taken with SKIP LOCKED, so two orders processes never
 * send one notice twice; the gateway's idempotency key makes a repeated round send nothing new.
 */
export class AdminDigest {
  constructor(private readonly d: AdminDigestDeps) {}

  /** A workflow's notice, once by its key. */
  async add(key: string, message: DigestedNotice): Promise<void> {
    await this.d.sequelize.query(
      'INSERT INTO orders.admin_digest (key, message) VALUES (:key, :message) ON CONFLICT (key) DO NOTHING',
      { replacements: { key, message: JSON.stringify(message) } },
    );
  }

  /** One round: the notices not yet sent, at most DIGEST_MAX_NOTICES, to every chat; how many went. */
  async sendDue(): Promise<number> {
    return this.d.sequelize.transaction(async (t) => {
      const rows = await this.d.sequelize.query<{ id: string; message: DigestedNotice }>(
        `SELECT id, message FROM orders.admin_digest WHERE sent_at IS NULL
          ORDER BY id LIMIT ${DIGEST_MAX_NOTICES} FOR UPDATE SKIP LOCKED`,
        { type: QueryTypes.SELECT, transaction: t },
      );
      if (rows.length === 0) return 0;
      const chats = await this.d.users.notificationRecipients();
      const batches = this.d.oneByOne ? rows.map((r) => [r]) : [rows];
      for (const batch of batches) {
        const message: NotifyMessage =
          batch.length === 1 && this.d.oneByOne
            ? batch[0]!.message
            : { template: 'admin.digest', data: { notices: batch.map((r) => r.message) } };
        const key = `digest:${batch[0]!.id}-${batch[batch.length - 1]!.id}`;
        for (const chatId of chats) await this.sendTo(chatId, key, message);
      }
      await this.d.sequelize.query('UPDATE orders.admin_digest SET sent_at = now() WHERE id IN (:ids)', {
        replacements: { ids: rows.map((r) => r.id) },
        transaction: t,
      });
      return rows.length;
    });
  }

  /** An outage is thrown (the round is tried again); a chat that refuses for good is passed over. */
  private async sendTo(chatId: number, key: string, message: NotifyMessage): Promise<void> {
    try {
      const answer = await this.d.notify.notify({
        action: 'send',
        idempotencyKey: `${key}:${chatId}`,
        chatId,
        message,
      });
      // A group Telegram upgraded to a supergroup: its new id is the one listed from now on.
      if (answer.movedTo !== undefined)
        await this.d.settings.moveNotificationGroup(chatId, answer.movedTo, 'system');
    } catch (error) {
      if (!(error instanceof DomainError) || isRetryable(error)) throw error;
      this.d.logger.warn('digest refused by a chat; going on', { chatId, key, reason: error.reason });
    }
  }
}

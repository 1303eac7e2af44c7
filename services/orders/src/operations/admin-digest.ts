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
 * The admins' digest (issue 20, docs/operations.md §18): workflows hand over their notices of what went as
 * it should (paid, expired, refunded orders and deposits) instead of sending each to every admin chat,
 * and every ADMIN_DIGEST_SECONDS one message with all of them goes to each admin and whitelisted group.
 * A busy shop then owes an admin chat one message a round, not one an order, and no notice is dropped
 * under load: a round sends everything waiting, DIGEST_MAX_NOTICES to a digest, and a notice is marked
 * sent only when every chat took its digest (a refusal that will not pass, a blocked admin, is logged and
 * skipped). A digest's notices are fixed (`batch`) before it goes: one refused halfway (Telegram took the
 * first of its messages, then answered 429) goes again as it was, under the same key, so the gateway
 * sends only what is missing, whatever was handed over meanwhile. Rows are taken with SKIP LOCKED, so two
 * orders processes never send one notice twice.
 */
export class AdminDigest {
  /** Notices to a digest: one each with ADMIN_DIGEST_SECONDS = 0. */
  private readonly size: number;

  constructor(private readonly d: AdminDigestDeps) {
    this.size = d.oneByOne ? 1 : DIGEST_MAX_NOTICES;
  }

  /** A workflow's notice, once by its key. */
  async add(key: string, message: DigestedNotice): Promise<void> {
    await this.d.sequelize.query(
      'INSERT INTO orders.admin_digest (key, message) VALUES (:key, :message) ON CONFLICT (key) DO NOTHING',
      { replacements: { key, message: JSON.stringify(message) } },
    );
  }

  /** One round: digests until nothing waits (a backlog is caught up at once); how many notices went. */
  async sendDue(): Promise<number> {
    let sent = 0;
    for (;;) {
      const batch = await this.nextBatch();
      if (batch === undefined) return sent;
      sent += await this.send(batch.id);
      if (!batch.more) return sent;
    }
  }

  /**
   * The digest to send next, fixed and committed before anything goes: the oldest one begun and not
   * finished, else the oldest unsent notices (up to `size`) as a new one. `more`: others wait behind it.
   */
  private async nextBatch(): Promise<{ id: string; more: boolean } | undefined> {
    return this.d.sequelize.transaction(async (t) => {
      const rows = await this.d.sequelize.query<{ id: string; batch: string | null }>(
        `SELECT id, batch FROM orders.admin_digest WHERE sent_at IS NULL
          ORDER BY id LIMIT ${this.size} FOR UPDATE SKIP LOCKED`,
        { type: QueryTypes.SELECT, transaction: t },
      );
      const first = rows[0];
      if (!first) return undefined;
      const id = first.batch ?? first.id;
      const fresh = rows.filter((r) => r.batch === null);
      if (first.batch === null)
        await this.d.sequelize.query('UPDATE orders.admin_digest SET batch = :id WHERE id IN (:ids)', {
          replacements: { id, ids: fresh.map((r) => r.id) },
          transaction: t,
        });
      return { id, more: rows.length === this.size || fresh.length < rows.length };
    });
  }

  /** Sends digest `batch` to every chat and marks its notices sent; 0 when another process has it. */
  private async send(batch: string): Promise<number> {
    return this.d.sequelize.transaction(async (t) => {
      // Waits for a process sending it now, which leaves nothing unsent.
      const rows = await this.d.sequelize.query<{ id: string; message: DigestedNotice }>(
        `SELECT id, message FROM orders.admin_digest WHERE batch = :batch AND sent_at IS NULL
          ORDER BY id FOR UPDATE`,
        { type: QueryTypes.SELECT, transaction: t, replacements: { batch } },
      );
      if (rows.length === 0) return 0;
      const message: NotifyMessage = this.d.oneByOne
        ? rows[0]!.message
        : { template: 'admin.digest', data: { notices: rows.map((r) => r.message) } };
      const key = `digest:${rows[0]!.id}-${rows[rows.length - 1]!.id}`;
      const chats = await this.d.users.notificationRecipients();
      for (const chatId of chats) await this.sendTo(chatId, key, message);
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

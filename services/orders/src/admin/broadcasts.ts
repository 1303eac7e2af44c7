import type { AuditOutbox } from '@quickcart/audit';
import { NotFound } from '@quickcart/kit';
import type { BroadcastMessage, BroadcastProgress } from '@quickcart/workflow-api';
import { QueryTypes } from 'sequelize';
import type { Sequelize } from 'sequelize-typescript';
import { ORDERS_REFUSAL, type BroadcastFinish } from '../contract';
import type { ShopWorkflows } from '../shop-workflows';

/**
 * /broadcast (docs/features.md §3.2): the record of each broadcast and who it goes to. The sending itself is
 * the `broadcast` workflow; this starts it, answers its questions and keeps its totals.
 */
export class Broadcasts {
  constructor(
    private readonly sequelize: Sequelize,
    private readonly outbox: AuditOutbox,
    private readonly workflows: ShopWorkflows,
  ) {}

  /**
   * Starts once per id (the admin's request): a repeated request answers with the same broadcast and
   * never sends twice (the workflow id is the broadcast id).
   */
  async start(a: {
    id: string;
    adminId: number;
    message: BroadcastMessage;
  }): Promise<{ id: string; total: number }> {
    await this.sequelize
      .transaction(async (t) => {
        const inserted = await this.sequelize.query(
          `INSERT INTO orders.broadcasts (id, admin_id, message) VALUES (:id, :adminId, CAST(:message AS jsonb))
           ON CONFLICT (id) DO NOTHING RETURNING id`,
          {
            replacements: { ...a, message: JSON.stringify(a.message) },
            type: QueryTypes.SELECT,
            transaction: t,
          },
        );
        if (inserted.length === 0) return;
        await this.outbox.add(
          {
            actor: String(a.adminId),
            action: 'broadcast.start',
            target: { type: 'broadcast', id: a.id },
            after: { text: a.message.text, photo: a.message.photoFileId !== undefined },
            reference: a.id,
          },
          t,
        );
      })
      .finally(() => this.outbox.flushSoon());
    // After the commit: a crash here leaves a row without a workflow, and the admin's retry starts it.
    await this.workflows.startBroadcast({ broadcastId: a.id, adminId: a.adminId, message: a.message });
    return { id: a.id, total: (await this.recipients(0, 1)).total };
  }

  async progress(id: string): Promise<BroadcastProgress> {
    await this.row(id);
    return this.workflows.broadcastProgress(id);
  }

  async cancel(id: string, actor: string): Promise<BroadcastProgress> {
    await this.row(id);
    await this.workflows.cancelBroadcast(id, actor);
    await this.sequelize
      .transaction((t) =>
        this.outbox.add(
          { actor, action: 'broadcast.cancel', target: { type: 'broadcast', id }, reference: id },
          t,
        ),
      )
      .finally(() => this.outbox.flushSoon());
    return this.workflows.broadcastProgress(id);
  }

  /** Users a broadcast goes to: not banned and not known to have blocked the bot, by id from `after`. */
  async recipients(afterUserId: number, limit: number): Promise<{ userIds: number[]; total: number }> {
    const [ids, [{ total }]] = await Promise.all([
      this.sequelize.query<{ id: number }>(
        `SELECT id FROM orders.users WHERE NOT blocked_bot AND NOT is_banned AND id > :afterUserId
          ORDER BY id LIMIT :limit`,
        { replacements: { afterUserId, limit }, type: QueryTypes.SELECT },
      ),
      this.sequelize.query<{ total: number }>(
        'SELECT count(*)::int AS total FROM orders.users WHERE NOT blocked_bot AND NOT is_banned AND id > :afterUserId',
        { replacements: { afterUserId }, type: QueryTypes.SELECT },
      ),
    ]);
    return { userIds: ids.map((r) => r.id), total };
  }

  /** The workflow's last step: totals kept and audited once, however often it is retried. */
  async finish(id: string, f: BroadcastFinish): Promise<void> {
    await this.sequelize
      .transaction(async (t) => {
        const updated = await this.sequelize.query(
          `UPDATE orders.broadcasts SET status = :status, total = :total, sent = :sent, failed = :failed,
                  blocked = :blocked, finished_at = now()
            WHERE id = :id AND finished_at IS NULL RETURNING id`,
          {
            replacements: { ...f, id, status: f.cancelled ? 'cancelled' : 'done' },
            type: QueryTypes.SELECT,
            transaction: t,
          },
        );
        if (updated.length === 0) return;
        await this.outbox.add(
          {
            actor: 'system',
            action: 'broadcast.finish',
            target: { type: 'broadcast', id },
            after: f,
            reference: id,
          },
          t,
        );
      })
      .finally(() => this.outbox.flushSoon());
  }

  private async row(id: string) {
    const [row] = await this.sequelize.query('SELECT id FROM orders.broadcasts WHERE id = :id', {
      replacements: { id },
      type: QueryTypes.SELECT,
    });
    if (!row) throw new NotFound(`broadcast ${id} not found`, ORDERS_REFUSAL.broadcast);
  }
}

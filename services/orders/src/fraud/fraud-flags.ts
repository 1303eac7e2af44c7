import type { AuditOutbox } from '@quickcart/audit';
import type { Logger } from '@quickcart/kit';
import { QueryTypes } from 'sequelize';
import type { Sequelize } from 'sequelize-typescript';
import type { FraudFlag, Order } from '../contract';
import type { AdminDigest } from '../operations/admin-digest';
import { RULE_WINDOW_HOURS, fraudSignals, type FraudThresholds } from './fraud-rules';

interface FlagRow {
  rule: FraudFlag['rule'];
  invoice_id: string;
  value: number;
  threshold: number;
  created_at: Date;
}

/**
 * Raises the anti-fraud flags of docs/features.md §4 when an order is paid: stored (for /info), audited,
 * and told to admins. Never blocking: the order is paid whatever they say.
 */
export class FraudFlags {
  constructor(
    private readonly d: {
      sequelize: Sequelize;
      outbox: AuditOutbox;
      thresholds: FraudThresholds;
      digest: Pick<AdminDigest, 'add'>;
      logger: Logger;
    },
  ) {}

  /** The flags this paid order raised that were not raised already (each once; see RULE_WINDOW_HOURS). */
  async afterPaid(order: Order): Promise<FraudFlag[]> {
    const raised = await this.d.sequelize
      .transaction(async (t) => {
        // One user's payments are judged one at a time, so two at once cannot both raise a windowed flag.
        await this.d.sequelize.query(`SELECT pg_advisory_xact_lock(hashtext('fraud:' || :userId))`, {
          replacements: { userId: String(order.userId) },
          transaction: t,
        });
        const [facts] = await this.d.sequelize.query<{
          age_hours: number;
          last_hour: number;
          day_total: number;
          small_hour: number;
        }>(
          `SELECT EXTRACT(EPOCH FROM (o.paid_at - u.created_at)) / 3600 AS age_hours,
                  count(*) FILTER (WHERE p.paid_at > o.paid_at - interval '1 hour')::int AS last_hour,
                  coalesce(sum(p.total) FILTER (WHERE p.paid_at > o.paid_at - interval '24 hours'), 0)::bigint AS day_total,
                  count(*) FILTER (WHERE p.paid_at > o.paid_at - interval '1 hour' AND p.total < :small)::int AS small_hour
             FROM orders.orders o
             JOIN orders.users u ON u.id = o.user_id
             JOIN orders.orders p ON p.user_id = o.user_id AND p.status = 'paid' AND p.paid_at <= o.paid_at
            WHERE o.invoice_id = :invoiceId AND o.status = 'paid'
            GROUP BY o.paid_at, u.created_at`,
          {
            replacements: { invoiceId: order.invoiceId, small: this.d.thresholds.smallTransaction },
            type: QueryTypes.SELECT,
            transaction: t,
          },
        );
        if (!facts) return [];
        const signals = fraudSignals(
          {
            kind: order.kind,
            total: order.total,
            accountAgeHours: Number(facts.age_hours),
            paymentsLastHour: Number(facts.last_hour),
            totalLast24Hours: Number(facts.day_total),
            smallPaymentsLastHour: Number(facts.small_hour),
          },
          this.d.thresholds,
        );
        const flags: FraudFlag[] = [];
        for (const s of signals) {
          const [row] = await this.d.sequelize.query<FlagRow>(
            `INSERT INTO orders.fraud_flags (user_id, invoice_id, rule, value, threshold)
             SELECT :userId, :invoiceId, :rule, :value, :threshold
              WHERE NOT EXISTS (
                SELECT 1 FROM orders.fraud_flags
                 WHERE (invoice_id = :invoiceId AND rule = :rule)
                    OR (:window > 0 AND user_id = :userId AND rule = :rule
                        AND created_at > now() - make_interval(hours => :window)))
             RETURNING rule, invoice_id, value, threshold, created_at`,
            {
              replacements: {
                ...s,
                userId: order.userId,
                invoiceId: order.invoiceId,
                window: RULE_WINDOW_HOURS[s.rule] ?? 0,
              },
              type: QueryTypes.SELECT,
              transaction: t,
            },
          );
          if (!row) continue;
          flags.push(toFlag(row));
          await this.d.outbox.add(
            {
              actor: 'system',
              action: 'user.fraud_flag',
              target: { type: 'user', id: String(order.userId) },
              after: s,
              reference: order.invoiceId,
              idempotencyKey: `fraud:${order.invoiceId}:${s.rule}`,
            },
            t,
          );
        }
        return flags;
      })
      .finally(() => this.d.outbox.flushSoon());
    if (raised.length > 0) {
      this.d.logger.warn('anti-fraud flags raised', {
        invoiceId: order.invoiceId,
        userId: order.userId,
        rules: raised.map((f) => f.rule),
      });
      // For the admins' next digest, best effort: the flags are stored and shown in /info whether or not
      // it arrives.
      await this.d.digest
        .add(`fraud:${order.invoiceId}`, {
          template: 'admin.fraud_flag',
          data: {
            userId: order.userId,
            invoiceId: order.invoiceId,
            flags: raised.map(({ at: _, ...f }) => f),
          },
        })
        .catch((error: Error) => this.d.logger.warn('anti-fraud notice not queued', { error }));
    }
    return raised;
  }

  /** A user's latest flags, newest first (/info). */
  async forUser(userId: number, limit = 10): Promise<FraudFlag[]> {
    const rows = await this.d.sequelize.query<FlagRow>(
      `SELECT rule, invoice_id, value, threshold, created_at FROM orders.fraud_flags
        WHERE user_id = :userId ORDER BY created_at DESC, id DESC LIMIT :limit`,
      { replacements: { userId, limit }, type: QueryTypes.SELECT },
    );
    return rows.map(toFlag);
  }
}

const toFlag = (r: FlagRow): FraudFlag => ({
  rule: r.rule,
  invoiceId: r.invoice_id,
  value: Number(r.value),
  threshold: Number(r.threshold),
  at: r.created_at.toISOString(),
});

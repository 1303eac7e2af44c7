import type { NotifyMessage } from '@quickcart/notify';
import { QueryTypes } from 'sequelize';
import type { Sequelize } from 'sequelize-typescript';
import type { AdminNotices } from './admin-notices';
import type { StuckOrders } from './stuck-orders';

/** What the owner is told about, each once while it lasts and once when it is over. */
export const OWNER_ALERTS = [
  'deliveries_failed',
  'payments_stuck',
  'audit_outbox_backlog',
  'backup_failed',
] as const;
export type OwnerAlert = (typeof OWNER_ALERTS)[number];

type AlertMessage = Extract<NotifyMessage, { template: 'owner.alert' }>;

export interface OwnerAlertsDeps {
  sequelize: Sequelize;
  stuck: StuckOrders;
  notices: AdminNotices;
  /** OWNER_ALERT_CHAT; undefined: every admin. */
  chatIds?: number[];
  /** An audit entry still in the outbox after this long means the audit database is not taking them. */
  outboxBacklogMs: number;
  /** No successful backup for this long (once one ever ran) is a failed backup. */
  backupMaxAgeMs: number;
}

/**
 * The owner's alerts in Telegram (docs/operations.md §16). Each check reads the state now; the stored
 * state (orders.owner_alerts) makes a lasting problem one alert, and its end one "resolved". The notice
 * is sent until the gateway took it (its idempotency key names the episode), so none is lost to a
 * Telegram outage and none is doubled.
 */
export class OwnerAlerts {
  constructor(private readonly d: OwnerAlertsDeps) {}

  /** One round: what is wrong now, stored, and told if not told yet. */
  async check(): Promise<void> {
    const now = await this.readings();
    for (const alert of OWNER_ALERTS) {
      const reading = now[alert];
      if (reading !== null) await this.settle(alert, reading);
    }
  }

  /** Per alert: a detail while it fires, undefined when all is well, null when it cannot be told now. */
  private async readings(): Promise<Record<OwnerAlert, string | undefined | null>> {
    const stuck = await this.d.stuck.counts();
    const [outbox] = await this.d.sequelize.query<{ waiting: number; oldest_ms: number | null }>(
      `SELECT count(*)::int AS waiting,
              (EXTRACT(EPOCH FROM now() - min(created_at)) * 1000)::bigint AS oldest_ms
         FROM orders.audit_outbox`,
      { type: QueryTypes.SELECT },
    );
    const [backup] = await this.d.sequelize.query<{ ok: boolean; age_ms: number; last_ok_ms: number | null }>(
      `SELECT ok, (EXTRACT(EPOCH FROM now() - at) * 1000)::bigint AS age_ms,
              (SELECT (EXTRACT(EPOCH FROM now() - max(at)) * 1000)::bigint FROM orders.backup_runs WHERE ok) AS last_ok_ms
         FROM orders.backup_runs ORDER BY at DESC, id DESC LIMIT 1`,
      { type: QueryTypes.SELECT },
    );
    const hours = (ms: number) => Math.floor(ms / 3_600_000);
    const backupFailed = !backup
      ? undefined
      : !backup.ok
        ? 'last run failed'
        : Number(backup.age_ms) > this.d.backupMaxAgeMs
          ? `no backup for ${hours(Number(backup.last_ok_ms ?? backup.age_ms))} h`
          : undefined;
    return {
      deliveries_failed:
        stuck.deliveryFailed === null
          ? null
          : stuck.deliveryFailed > 0
            ? `${stuck.deliveryFailed}`
            : undefined,
      payments_stuck: stuck.payments > 0 ? `${stuck.payments}` : undefined,
      audit_outbox_backlog:
        outbox.waiting > 0 && Number(outbox.oldest_ms) > this.d.outboxBacklogMs
          ? `${outbox.waiting}`
          : undefined,
      backup_failed: backupFailed,
    };
  }

  /** Stores the alert's state (one round at a time across processes: the row lock) and tells what changed. */
  private async settle(alert: OwnerAlert, detail: string | undefined): Promise<void> {
    const firing = detail !== undefined;
    const due = await this.d.sequelize.transaction(async (t) => {
      await this.d.sequelize.query(
        `INSERT INTO orders.owner_alerts (name) VALUES (:alert) ON CONFLICT (name) DO NOTHING`,
        { replacements: { alert }, transaction: t },
      );
      const [row] = await this.d.sequelize.query<{
        firing: boolean;
        episode: number;
        told: boolean;
        detail: string | null;
      }>(`SELECT firing, episode, told, detail FROM orders.owner_alerts WHERE name = :alert FOR UPDATE`, {
        replacements: { alert },
        type: QueryTypes.SELECT,
        transaction: t,
      });
      if (row.firing !== firing) {
        // A new episode starts when it fires; its end keeps the episode's number.
        const episode = firing ? row.episode + 1 : row.episode;
        await this.d.sequelize.query(
          `UPDATE orders.owner_alerts SET firing = :firing, episode = :episode, told = false,
                  detail = :detail, changed_at = now() WHERE name = :alert`,
          { replacements: { alert, firing, episode, detail: detail ?? row.detail }, transaction: t },
        );
        return { episode, detail: detail ?? row.detail ?? '' };
      }
      return row.told ? undefined : { episode: row.episode, detail: row.detail ?? '' };
    });
    if (!due || due.episode === 0) return;
    const message: AlertMessage = {
      template: 'owner.alert',
      data: { alert, state: firing ? 'firing' : 'resolved', detail: due.detail },
    };
    const key = `owner-alert:${alert}:${due.episode}:${message.data.state}`;
    if (await this.d.notices.toAdmins(key, message, this.d.chatIds)) {
      await this.d.sequelize.query(
        `UPDATE orders.owner_alerts SET told = true WHERE name = :alert AND firing = :firing AND episode = :episode`,
        { replacements: { alert, firing, episode: due.episode } },
      );
    }
  }
}

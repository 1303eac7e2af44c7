import type { NotifyMessage } from '@quickcart/notify';
import { QueryTypes } from 'sequelize';
import type { Sequelize } from 'sequelize-typescript';
import { NEVER_POLLED } from '../contract';
import type { ShopWorkflows } from '../shop-workflows';
import type { AdminNotices } from './admin-notices';
import type { DependencyCalls } from './dependency-calls';
import type { StuckOrders } from './stuck-orders';

/** What the owner is told about, each once while it lasts and once when it is over. */
export const OWNER_ALERTS = [
  'deliveries_failed',
  'payments_stuck',
  'audit_outbox_backlog',
  'backup_failed',
  'pakasir_refusing',
  'telegram_refusing',
  'worker_not_polling',
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
  /** What Pakasir and Telegram answered every process's calls. */
  calls: DependencyCalls;
  /** Their answers are read over this window; a refusing one is told once it lasted `refusingForMs`. */
  refusingWindowMs: number;
  refusingForMs: number;
  /** Temporal's word on when the worker last polled. */
  workflows: Pick<ShopWorkflows, 'lastPoll'>;
  /** The worker not polling is told once it lasted this long. */
  workerSilenceMs: number;
}

/**
 * An idle poll waits up to about a minute for a task on Temporal's side (the SDK's own deadline is 70 s),
 * and Temporal notes a poll as it begins and as it ends: a last poll older than this means no poll is
 * waiting now, so the worker is not polling.
 */
export const LONG_POLL_MS = 70_000;

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
    // Prometheus' `for` of the rules with one (alert-rules.ts); the others are told in the round that sees them.
    const lasting: Partial<Record<OwnerAlert, number>> = {
      pakasir_refusing: this.d.refusingForMs,
      telegram_refusing: this.d.refusingForMs,
      worker_not_polling: this.d.workerSilenceMs,
    };
    for (const alert of OWNER_ALERTS) {
      const reading = now[alert];
      if (reading !== null) await this.settle(alert, reading, lasting[alert] ?? 0);
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
      pakasir_refusing: await this.d.calls.pakasirRefusing(this.d.refusingWindowMs),
      telegram_refusing: await this.d.calls.telegramRefusing(this.d.refusingWindowMs),
      worker_not_polling: await this.workerSilence(),
    };
  }

  /**
   * Since when Temporal has noted no poll of the worker ("never" when it knows of none), once that is
   * longer than a long poll; null while Temporal does not answer: a Temporal away says nothing of the
   * worker (that is orders' /ready and QuickCartDependencyDown), so the alert keeps its last state.
   */
  private async workerSilence(): Promise<string | undefined | null> {
    const last = await this.d.workflows.lastPoll().catch(() => null);
    if (last === null) return null;
    if (last === undefined) return NEVER_POLLED;
    return Date.now() - last.getTime() > LONG_POLL_MS ? last.toISOString() : undefined;
  }

  /**
   * Stores the alert's state (one round at a time across processes: the row lock) and tells what changed.
   * A condition that must last `forMs` (Prometheus' `for`) is pending from the first round that sees it
   * and fires in the first round `forMs` later that still sees it; a round without it ends it.
   */
  private async settle(alert: OwnerAlert, detail: string | undefined, forMs: number): Promise<void> {
    const due = await this.d.sequelize.transaction(async (t) => {
      const sql = (text: string, replacements: Record<string, unknown>) =>
        this.d.sequelize.query(text, { replacements: { alert, ...replacements }, transaction: t });
      await sql(`INSERT INTO orders.owner_alerts (name) VALUES (:alert) ON CONFLICT (name) DO NOTHING`, {});
      const [row] = await this.d.sequelize.query<{
        firing: boolean;
        episode: number;
        told: boolean;
        detail: string | null;
        pending_ms: number | null;
      }>(
        `SELECT firing, episode, told, detail,
                (EXTRACT(EPOCH FROM now() - pending_since) * 1000)::bigint AS pending_ms
           FROM orders.owner_alerts WHERE name = :alert FOR UPDATE`,
        { replacements: { alert }, type: QueryTypes.SELECT, transaction: t },
      );
      const holds = detail !== undefined;
      const pendingMs = row.pending_ms === null ? null : Number(row.pending_ms);
      const firing = holds && (row.firing || (pendingMs ?? 0) >= forMs);
      if (row.firing !== firing) {
        // A new episode starts when it fires; its end keeps the episode's number.
        const episode = firing ? row.episode + 1 : row.episode;
        await sql(
          `UPDATE orders.owner_alerts SET firing = :firing, episode = :episode, told = false,
                  detail = :detail, changed_at = now(), pending_since = NULL WHERE name = :alert`,
          { firing, episode, detail: detail ?? row.detail },
        );
        return { firing, episode, detail: detail ?? row.detail ?? '' };
      }
      // Pending from now while it holds and must last; no longer pending once a round does not see it.
      if (holds && !firing && pendingMs === null)
        await sql(`UPDATE orders.owner_alerts SET pending_since = now() WHERE name = :alert`, {});
      if (!holds && pendingMs !== null)
        await sql(`UPDATE orders.owner_alerts SET pending_since = NULL WHERE name = :alert`, {});
      return row.told ? undefined : { firing, episode: row.episode, detail: row.detail ?? '' };
    });
    if (!due || due.episode === 0) return;
    const { firing } = due;
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

import { randomUUID } from 'node:crypto';
import { QueryTypes, type Transaction } from 'sequelize';
import type { Sequelize } from 'sequelize-typescript';
import type { AuditEntry, AuditLog } from './audit-log';

interface Logger {
  warn: (message: string, meta?: object) => unknown;
}

/** The outbox table an AuditOutbox expects, for a service's migration (orders' own predates this). */
export const outboxTableSql = (table: string) => `
  CREATE TABLE ${table} (
    id         bigserial PRIMARY KEY,
    entry      jsonb NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
  )`;

/**
 * Audit entries written in the same transaction as the change they describe (an outbox table in the
 * service's own database), then moved to the audit database. So a change is never committed without
 * its entry, even if the audit database is down or the process dies in between: the entry waits in the
 * outbox and the next flush (at once, and every few seconds) moves it, exactly once (its key).
 */
export class AuditOutbox {
  private timer?: NodeJS.Timeout;
  private flushing?: Promise<number>;
  private again?: Promise<number>;

  constructor(
    private readonly sequelize: Sequelize,
    /** Schema-qualified table, e.g. `orders.audit_outbox`. */
    private readonly table: string,
    private readonly audit: AuditLog,
    private readonly logger: Logger,
  ) {}

  /**
   * An entry without a key of its own gets one here, stored with it: a uuid, not the outbox row's id,
   * which starts again after the database is restored and would then match an entry already moved.
   */
  async add(entry: AuditEntry, transaction: Transaction): Promise<void> {
    const keyed = { ...entry, idempotencyKey: entry.idempotencyKey ?? `${this.table}:${randomUUID()}` };
    await this.sequelize.query(`INSERT INTO ${this.table} (entry) VALUES (CAST(:entry AS jsonb))`, {
      replacements: { entry: JSON.stringify(keyed) },
      transaction,
    });
  }

  /**
   * Moves waiting entries to the audit database; returns how many. Never runs twice at once here. A
   * caller whose entry was committed after the running move began gets one more move after it (shared
   * with everyone who asks meanwhile), so when this resolves the caller's entry is in the audit database.
   */
  flush(): Promise<number> {
    if (!this.flushing) {
      this.flushing = this.moveAll().finally(() => (this.flushing = undefined));
      return this.flushing;
    }
    this.again ??= this.flushing
      .catch(() => 0)
      .then(() => {
        this.again = undefined;
        return this.flush();
      });
    return this.again;
  }

  /** Flush without failing the caller: the entry is safe in the outbox and the timer retries. */
  async flushSoon(): Promise<void> {
    await this.flush().catch((error: Error) =>
      this.logger.warn('audit flush failed; will retry', { error: error.message }),
    );
  }

  start(intervalMs = 2_000): void {
    this.timer = setInterval(() => void this.flushSoon(), intervalMs);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
  }

  private async moveAll(): Promise<number> {
    let moved = 0;
    for (;;) {
      const batch = await this.sequelize.transaction(async (t) => {
        // SKIP LOCKED: two processes flushing never block each other or move one row twice.
        const rows = await this.sequelize.query<{ id: number; entry: AuditEntry; created_at: Date }>(
          `SELECT id, entry, created_at FROM ${this.table} ORDER BY id LIMIT 100 FOR UPDATE SKIP LOCKED`,
          { type: QueryTypes.SELECT, transaction: t },
        );
        for (const row of rows) {
          await this.audit.record({
            ...row.entry,
            // Rows written before add() stored a key: their time makes the id unique across restores.
            idempotencyKey:
              row.entry.idempotencyKey ?? `${this.table}:${row.id}:${row.created_at.toISOString()}`,
          });
        }
        if (rows.length > 0) {
          await this.sequelize.query(`DELETE FROM ${this.table} WHERE id IN (:ids)`, {
            replacements: { ids: rows.map((r) => r.id) },
            transaction: t,
          });
        }
        return rows.length;
      });
      moved += batch;
      if (batch < 100) return moved;
    }
  }
}

import { ensureDatabase, onceMoreIfConnectionLost, warnConnectionLost, type PoolLogger } from '@quickcart/db';
import { Pool } from 'pg';
import { AUDIT_SCHEMA_SQL } from './schema';

export interface AuditEntry {
  /** A Telegram user id, or 'system' for workflows and jobs. */
  actor: string;
  /** What happened, in the shop's words: 'balance.credit', 'order.status', 'product.add', 'user.ban'. */
  action: string;
  target: { type: string; id: string };
  before?: unknown;
  after?: unknown;
  /** The invoice id or admin request id the action belongs to. */
  reference?: string;
  /** Makes a retried write land once: the same key never writes a second entry. */
  idempotencyKey?: string;
}

export interface AuditRecord extends Required<Omit<AuditEntry, 'idempotencyKey' | 'reference'>> {
  id: number;
  at: Date;
  reference: string | null;
}

interface Row {
  id: number;
  at: Date;
  actor: string;
  action: string;
  target_type: string;
  target_id: string;
  before: unknown;
  after: unknown;
  reference: string | null;
}

/** The permanent record (docs/features.md §5, audit database). */
export class AuditLog {
  private constructor(private readonly pool: Pool) {}

  /**
   * Creates the audit database and its table if missing, then connects. A connection PostgreSQL ends
   * is logged to `logger` (default: one named 'audit') and replaced on the next write.
   */
  static async open(url: string, options: { logger?: PoolLogger } = {}): Promise<AuditLog> {
    await ensureDatabase(url);
    const pool = new Pool({ connectionString: url, max: 5, application_name: 'audit' });
    const warn = warnConnectionLost('audit', options.logger);
    pool.on('error', warn);
    const client = await pool.connect();
    // The pool listens to its idle clients only: until released, this one is ours to listen to.
    client.on('error', warn);
    try {
      // Two services starting together take turns on the DDL.
      await client.query('SELECT pg_advisory_lock(4242)');
      for (const sql of AUDIT_SCHEMA_SQL) await client.query(sql);
    } finally {
      await client.query('SELECT pg_advisory_unlock(4242)').catch(() => {});
      // Back in the pool, the pool listens (and drops it if its connection was lost).
      client.removeListener('error', warn);
      client.release();
    }
    return new AuditLog(pool);
  }

  /**
   * Writes one entry; throws if it cannot, so the action it belongs to is retried, never left unaudited.
   * An entry with a key is written once more on another connection if its connection was lost.
   */
  async record(entry: AuditEntry): Promise<void> {
    const insert = () => this.insert(entry);
    await (entry.idempotencyKey ? onceMoreIfConnectionLost(insert) : insert());
  }

  private async insert(entry: AuditEntry): Promise<void> {
    await this.pool.query(
      `INSERT INTO audit_log (actor, action, target_type, target_id, before, after, reference, idempotency_key)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (idempotency_key) DO NOTHING`,
      [
        entry.actor,
        entry.action,
        entry.target.type,
        entry.target.id,
        entry.before === undefined ? null : JSON.stringify(entry.before),
        entry.after === undefined ? null : JSON.stringify(entry.after),
        entry.reference ?? null,
        entry.idempotencyKey ?? null,
      ],
    );
  }

  /**
   * The latest entries, newest first, optionally for one actor, target or reference; `user` is every
   * entry a user is part of, as the one acting or the one acted on.
   */
  async latest(
    filter: { actor?: string; targetId?: string; reference?: string; user?: string; limit?: number } = {},
  ): Promise<AuditRecord[]> {
    const { rows } = await onceMoreIfConnectionLost(() =>
      this.pool.query<Row>(
        `SELECT id, at, actor, action, target_type, target_id, before, after, reference FROM audit_log
        WHERE ($1::text IS NULL OR actor = $1) AND ($2::text IS NULL OR target_id = $2)
          AND ($3::text IS NULL OR reference = $3)
          AND ($4::text IS NULL OR actor = $4 OR (target_type = 'user' AND target_id = $4))
        ORDER BY id DESC LIMIT $5`,
        [
          filter.actor ?? null,
          filter.targetId ?? null,
          filter.reference ?? null,
          filter.user ?? null,
          filter.limit ?? 20,
        ],
      ),
    );
    return rows.map((r) => ({
      id: Number(r.id),
      at: r.at,
      actor: r.actor,
      action: r.action,
      target: { type: r.target_type, id: r.target_id },
      before: r.before,
      after: r.after,
      reference: r.reference,
    }));
  }

  close(): Promise<void> {
    return this.pool.end();
  }
}

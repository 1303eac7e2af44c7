import { Gauge, type Registry } from '@quickcart/kit';
import type { Sequelize } from 'sequelize-typescript';

/**
 * What a service reads from its database on each scrape: the audit outbox's backlog (entries not yet
 * moved to the audit database, and the oldest one's age) and its connection pool's use.
 */
export function databaseGauges(registry: Registry, sequelize: Sequelize, outboxTable: string): void {
  new Gauge({
    name: 'quickcart_audit_outbox_backlog',
    help: 'Audit entries waiting in the outbox for the audit database',
    registers: [registry],
    async collect() {
      const [[row]] = (await sequelize.query(`SELECT count(*)::int AS n FROM ${outboxTable}`)) as [
        { n: number }[],
        unknown,
      ];
      this.set(row?.n ?? 0);
    },
  });
  new Gauge({
    name: 'quickcart_audit_outbox_oldest_seconds',
    help: 'Age of the oldest audit entry waiting in the outbox (0 when empty)',
    registers: [registry],
    async collect() {
      const [[row]] = (await sequelize.query(
        `SELECT COALESCE(EXTRACT(EPOCH FROM now() - min(created_at)), 0)::float AS s FROM ${outboxTable}`,
      )) as [{ s: number }[], unknown];
      this.set(row?.s ?? 0);
    },
  });
  poolGauge(registry, sequelize);
}

/** The connection pool: connections in use, idle, and requests waiting for one. */
export function poolGauge(registry: Registry, sequelize: Sequelize): void {
  new Gauge({
    name: 'quickcart_db_pool_connections',
    help: 'Database pool: connections in use, idle, the maximum, and requests waiting for a connection',
    labelNames: ['state'],
    registers: [registry],
    collect() {
      const pool = (sequelize.connectionManager as unknown as { pool?: PoolFigures }).pool;
      if (!pool) return;
      this.set({ state: 'in_use' }, pool.using);
      this.set({ state: 'idle' }, pool.available);
      this.set({ state: 'waiting' }, pool.waiting);
      this.set({ state: 'max' }, pool.maxSize);
    },
  });
}

/** What sequelize-pool tells of itself. */
interface PoolFigures {
  using: number;
  available: number;
  waiting: number;
  maxSize: number;
}

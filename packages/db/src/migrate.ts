import type { Sequelize } from 'sequelize-typescript';
import { SequelizeStorage, Umzug } from 'umzug';

export interface Migration {
  name: string;
  /** Runs inside one transaction together with the bookkeeping row. */
  up: (sql: (statement: string) => Promise<unknown>) => Promise<void>;
}

/**
 * Applies the pending migrations in order. Runs at every start, so it must be idempotent: umzug skips
 * what is recorded in `table`, and a PostgreSQL advisory lock makes two processes starting together
 * take turns instead of racing on the same DDL.
 */
export async function migrate(
  sequelize: Sequelize,
  table: string,
  migrations: Migration[],
): Promise<string[]> {
  const umzug = new Umzug({
    migrations: migrations.map((m) => ({
      name: m.name,
      up: async () => {
        await m.up((statement) => sequelize.query(statement));
      },
    })),
    storage: new SequelizeStorage({ sequelize, tableName: table }),
    logger: undefined,
  });
  const lockKey = hashKey(table);
  await sequelize.query('SELECT pg_advisory_lock(:lockKey)', { replacements: { lockKey } });
  try {
    const done = await umzug.up();
    return done.map((m) => m.name);
  } finally {
    await sequelize.query('SELECT pg_advisory_unlock(:lockKey)', { replacements: { lockKey } });
  }
}

function hashKey(text: string): number {
  let h = 0;
  for (const ch of text) h = (Math.imul(h, 31) + ch.charCodeAt(0)) | 0;
  return h;
}

import 'reflect-metadata';
import pg from 'pg';
import type { Transaction } from 'sequelize';
import { Sequelize, type ModelCtor } from 'sequelize-typescript';
import { isConnectionLost, warnConnectionLost, type PoolLogger } from './connection-loss';

// pg returns int8 as a string; our BIGINT columns hold rupiah and Telegram ids, both safe integers.
// Refuse silently-rounded values instead of passing them on.
pg.types.setTypeParser(20, (value) => {
  const n = Number(value);
  if (!Number.isSafeInteger(n)) throw new Error(`int8 value out of safe range: ${value}`);
  return n;
});

export interface ConnectOptions {
  url: string;
  models: ModelCtor[];
  /** Shown in pg_stat_activity, so an operator sees which service holds a lock. */
  applicationName: string;
  poolMax?: number;
  /** Where a lost connection is logged; default a logger named after `applicationName`. */
  logger?: PoolLogger;
}

/**
 * A lost connection (PostgreSQL restarted, failed over, or ended it) costs no request that can be
 * repeated: Sequelize's postgres dialect already drops a connection that reported an error and opens
 * a new one; a read that met the loss, and a transaction that met it before its work began, run again
 * on another connection.
 */
export function connectSequelize({
  url,
  models,
  applicationName,
  poolMax = 10,
  logger,
}: ConnectOptions): Sequelize {
  const warn = warnConnectionLost(applicationName, logger);
  const sequelize = new Sequelize(url, {
    dialect: 'postgres',
    models,
    logging: false,
    // Never let a statement's values (customer data, stock contents) reach a log or an error message.
    logQueryParameters: false,
    pool: { max: poolMax, min: 0, idle: 10_000, acquire: 30_000 },
    dialectOptions: { application_name: applicationName },
    // A read that lost its connection runs once more; a write never: it may have committed before the
    // connection went. (Inside a transaction the second try meets the same dead connection and fails
    // at once.) An arrow function: retry-as-promised calls a matcher only when `instanceof` on it
    // throws, which it does for a function without a prototype.
    retry: { max: 2, match: [(error: unknown) => isConnectionLost(error) && isRead(error)] },
    hooks: {
      // Sequelize's own listener keeps the process up; this one says it happened, once a connection.
      afterConnect: (connection) => void (connection as pg.Client).once('error', warn),
    },
  });
  beginAgainIfLost(sequelize);
  return sequelize;
}

/**
 * A transaction whose connection is lost before its work began (PostgreSQL ended it between the pool's
 * check and BEGIN) is begun once more on another connection: nothing of it ran. Once the work began,
 * a loss fails the transaction as any error does; the work may have had effects outside the database.
 */
function beginAgainIfLost(sequelize: Sequelize): void {
  const transaction = sequelize.transaction.bind(sequelize) as (...args: unknown[]) => Promise<unknown>;
  const again = (...args: unknown[]) => {
    let began = false;
    const run = args.map((arg) =>
      typeof arg === 'function'
        ? (t: Transaction) => {
            began = true;
            return (arg as (t: Transaction) => unknown)(t);
          }
        : arg,
    );
    return transaction(...run).catch((error: unknown) => {
      if (began || !isConnectionLost(error)) throw error;
      return transaction(...run);
    });
  };
  sequelize.transaction = again as unknown as Sequelize['transaction'];
}

/** A statement that only reads, so running it twice does what running it once does. */
function isRead(error: unknown): boolean {
  const sql = (error as { sql?: unknown }).sql;
  return typeof sql === 'string' && /^\s*SELECT\b/i.test(sql);
}

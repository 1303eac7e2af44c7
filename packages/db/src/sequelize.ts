import 'reflect-metadata';
import pg from 'pg';
import { Sequelize, type ModelCtor } from 'sequelize-typescript';

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
}

export function connectSequelize({ url, models, applicationName, poolMax = 10 }: ConnectOptions): Sequelize {
  return new Sequelize(url, {
    dialect: 'postgres',
    models,
    logging: false,
    // Never let a statement's values (customer data, stock contents) reach a log or an error message.
    logQueryParameters: false,
    pool: { max: poolMax, min: 0, idle: 10_000, acquire: 30_000 },
    dialectOptions: { application_name: applicationName },
  });
}

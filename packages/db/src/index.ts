export * from './database';
export * from './sequelize';
export * from './migrate';
export * from './testing';
export * from './errors';
export * from './connection-loss';
export * from './metrics';

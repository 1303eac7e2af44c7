export * from './audit-log';
export * from './schema';
export * from './outbox';

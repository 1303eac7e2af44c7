export * from './audit-log';
export * from './schema';

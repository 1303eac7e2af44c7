export * from './errors';
export * from './config';
export * from './logger';
export * from './http';
export * from './http-client';
export * from './zod-message';
export * from './money';

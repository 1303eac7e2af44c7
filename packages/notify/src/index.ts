export * from './contract';
export * from './client';
export * from './recorder';
export * from './qr';

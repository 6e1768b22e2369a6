export * from './backoff';
export * from './channel';
export * from './client';
export * from './emitter';
export * from './errors';
export * from './transport';

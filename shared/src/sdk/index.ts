export * from './backoff';
export * from './channel';
export * from './chat-sync';
export * from './client';
export * from './emitter';
export * from './errors';
export * from './scram-bounds';
export * from './transport';

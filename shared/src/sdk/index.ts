export * from './channel';
export * from './chat-sync';
export * from './client';
export * from './emitter';
export * from './errors';
export * from './transport';

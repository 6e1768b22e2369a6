export * from './clock';
export * from './config';
export * from './errors';
export * from './handlers';
export * from './logger';
export * from './metrics';
export * from './port';
export * from './rate';

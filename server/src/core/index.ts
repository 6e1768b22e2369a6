export * from './clock';
export * from './config';
export * from './crash';
export * from './errors';
export * from './handlers';
export * from './logger';
export * from './rate';

export * from './map';
export * from './shapes';
export * from './types';

export * from './map';
export { MAP_DEFAULTS } from './meta';
export * from './shapes';
export * from './types';

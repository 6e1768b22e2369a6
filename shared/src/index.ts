export * from './crypto/index';
export * from './protocol/index';
export * from './geometry';

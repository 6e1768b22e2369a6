export * from './crypto/index';
export * from './geometry';
export * from './protocol/index';
export * from './scene/index';

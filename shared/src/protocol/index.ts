export * from './codec';
export * from './codes';
export * from './conv';
export * from './frame';
export * from './packets';
export * from './parse';
export * from './schema';
export * from './version';

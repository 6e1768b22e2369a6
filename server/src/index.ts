export { type ImServer, type ServerOptions, startServer } from './app';
export * from './core';
export { type Database, openDatabase } from './db';

export { Analyzer } from './analyze';
export { BatchLoader } from './batch';
export { type Database, type DatabaseOptions, type Db, openDatabase } from './client';
export { type PreparedRaw, prepareRaw } from './prepared';
export * as tables from './schema';

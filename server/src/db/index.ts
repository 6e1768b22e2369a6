export { BatchLoader } from './batch';
export { type PreparedRaw, prepareRaw } from './prepared';
export { type Database, type DatabaseOptions, type Db, openDatabase } from './client';
export * as tables from './schema';

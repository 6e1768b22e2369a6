import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PGlite } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import { drizzle as drizzlePg } from 'drizzle-orm/postgres-js';
import { migrate as migratePg } from 'drizzle-orm/postgres-js/migrator';
import postgres from 'postgres';
import * as schema from './schema';

/** The one database type the modules see: the same drizzle API over either driver. */
export type Db = PgDatabase<PgQueryResultHKT, typeof schema>;

export interface Database {
  db: Db;
  driver: 'pglite' | 'postgres';
  close(): Promise<void>;
  /** PGlite only (it runs no autovacuum): refreshes the planner's statistics (see Analyzer). */
  analyze?: () => Promise<void>;
}

const MIGRATIONS_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '../../drizzle');

export interface DatabaseOptions {
  /** PostgreSQL URL; when absent, embedded PGlite in `dataDir` (or in memory when dataDir is null). */
  url?: string | undefined;
  dataDir?: string | null;
  /** Sees every statement sent through drizzle (text and parameters): tests count round trips with it. */
  logQuery?: (query: string, params: unknown[]) => void;
}

const logger = ({ logQuery }: DatabaseOptions) => (logQuery ? { logQuery } : false);

/** Opens the database and applies migrations (one migrations folder, each driver's migrator). */
export async function openDatabase(opts: DatabaseOptions): Promise<Database> {
  if (opts.url) {
    // onnotice: migrations' "already exists, skipping" notices are noise.
    const sql = postgres(opts.url, { max: 10, onnotice: () => undefined, connect_timeout: 5 });
    const db = drizzlePg(sql, { schema, logger: logger(opts) });
    await migratePg(db, { migrationsFolder: MIGRATIONS_DIR });
    // postgres.js runs its array-type query on EVERY new connection, outside any caller's promise:
    // a connection lost during it (an outage, or close() while the pool grows) was an unhandled
    // rejection, which the crash policy turns into exit 70. The migrations' connection has fetched
    // the types into the options all connections share, so later connections need not.
    (sql.options as { fetch_types: boolean }).fetch_types = false;
    return { db: db as unknown as Db, driver: 'postgres', close: () => sql.end({ timeout: 2 }) };
  }
  if (opts.dataDir) mkdirSync(opts.dataDir, { recursive: true });
  // pg_trgm (message search, #16) is an extension PGlite loads into WebAssembly when asked here;
  // the migration's CREATE EXTENSION then finds it.
  const extensions = { pg_trgm };
  const pg = opts.dataDir ? new PGlite(opts.dataDir, { extensions }) : new PGlite({ extensions });
  await pg.waitReady;
  const db = drizzlePglite(pg, { schema, logger: logger(opts) });
  await migratePglite(db, { migrationsFolder: MIGRATIONS_DIR });
  return {
    db: db as unknown as Db,
    driver: 'pglite',
    close: () => pg.close(),
    analyze: async () => {
      await pg.exec('analyze');
    },
  };
}

import type { SQL } from 'drizzle-orm';
import { PgDialect } from 'drizzle-orm/pg-core';
import type { Db } from './client';

const dialect = new PgDialect();

/** A raw statement prepared once and run with named values (`sql.placeholder(name)` in its text). */
export type PreparedRaw<R> = (values: Record<string, unknown>) => Promise<R[]>;

/**
 * Builds the statement's text once (no query building per call) and runs it as a named prepared
 * statement: postgres.js parses and plans it once per connection and then only binds (the append
 * statement's CTEs cost more to plan than to run for a few rows); PGlite, which has no statement
 * cache, runs the same text. Every call still goes through drizzle's logger, so tests that count
 * statements see it. `name` must be unique per statement text.
 */
export function prepareRaw<R>(db: Db, name: string, query: SQL): PreparedRaw<R> {
  const prepared = db._.session.prepareQuery(dialect.sqlToQuery(query), undefined, name, false);
  return async (values) => {
    const res = (await prepared.execute(values)) as unknown;
    // postgres.js answers a row array, PGlite `{ rows }`.
    return (Array.isArray(res) ? res : (res as { rows: R[] }).rows) as R[];
  };
}

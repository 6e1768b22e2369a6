import { PGlite, protocol } from '@electric-sql/pglite';
import type { SQL } from 'drizzle-orm';
import { PgDialect } from 'drizzle-orm/pg-core';
import type { Db } from './client';

const dialect = new PgDialect();

/** A raw statement prepared once and run with named values (`sql.placeholder(name)` in its text). */
export type PreparedRaw<R> = (values: Record<string, unknown>) => Promise<R[]>;

/**
 * Builds the statement's text once (no query building per call) and runs it as a named prepared
 * statement, parsed and planned once: the append statement's CTEs cost more to plan than to run
 * for a few rows (bench/README, fan-out with storage).
 * - PostgreSQL: postgres.js prepares it once per connection and then only binds.
 * - PGlite: `query()` parses, describes, binds, describes and executes in six calls into
 *   WebAssembly per statement and plans it every time; here the statement is parsed once per
 *   database and each run is ONE call (bind, describe, execute, sync), under the same locks
 *   `query()` takes. Values go as text: numbers, strings, and arrays of them (array literals).
 * Every run still goes through drizzle's logger, so tests that count statements see it. `name`
 * must be unique per statement text. Booleans come back as booleans, everything else as the
 * driver gives it (postgres.js: numbers for int4, strings for int8; PGlite here: strings).
 */
export function prepareRaw<R>(db: Db, name: string, query: SQL): PreparedRaw<R> {
  const q = dialect.sqlToQuery(query);
  const client = (db as unknown as { $client?: unknown }).$client;
  if (client instanceof PGlite) return pglitePrepared<R>(db, client, name, q.sql, placeholderNames(q.params));
  const prepared = db._.session.prepareQuery(q, undefined, name, false);
  return async (values) => (await prepared.execute(values)) as R[];
}

function placeholderNames(params: unknown[]): string[] {
  return params.map((p) => {
    const n = (p as { name?: unknown }).name;
    if (typeof n !== 'string')
      throw new TypeError('prepareRaw: every parameter must be sql.placeholder(name)');
    return n;
  });
}

/** The PGlite internals `query()` runs under (0.5.x): the transaction lock, then the query lock. */
interface PgliteLocks {
  _runExclusiveTransaction<T>(fn: () => Promise<T>): Promise<T>;
  runExclusive<T>(fn: () => Promise<T>): Promise<T>;
}

const parsedOn = new WeakMap<PGlite, Set<string>>();
const BOOL_OID = 16;

function pglitePrepared<R>(db: Db, pg: PGlite, name: string, text: string, names: string[]): PreparedRaw<R> {
  const locks = pg as unknown as PgliteLocks;
  if (typeof locks._runExclusiveTransaction !== 'function')
    throw new Error('prepareRaw: this PGlite has no _runExclusiveTransaction (a newer version?)');
  const { serialize } = protocol;
  const logger = (db._.session as unknown as { logger?: { logQuery(q: string, p: unknown[]): void } }).logger;
  return (values) => {
    const params = names.map((n) => toText(values[n]));
    logger?.logQuery(text, params);
    return locks._runExclusiveTransaction(() =>
      locks.runExclusive(async () => {
        let parsed = parsedOn.get(pg);
        if (!parsed) {
          parsed = new Set();
          parsedOn.set(pg, parsed);
        }
        const parts: Uint8Array[] = [];
        if (!parsed.has(name)) parts.push(serialize.parse({ name, text }));
        parts.push(
          serialize.bind({ statement: name, values: params }),
          serialize.describe({ type: 'P' }),
          serialize.execute({}),
          serialize.sync(),
        );
        const { messages } = await pg.execProtocol(concat(parts), { throwOnError: false });
        if (messages.some((m) => m.name === 'parseComplete')) parsed.add(name);
        // The backend skipped to the sync after an error: the session is ready for the next run.
        const error = messages.find((m) => m.name === 'error');
        if (error) throw error;
        return rowsOf<R>(messages);
      }),
    );
  };
}

function rowsOf<R>(messages: ReadonlyArray<{ name: string }>): R[] {
  let fields: ReadonlyArray<{ name: string; dataTypeID: number }> = [];
  const out: R[] = [];
  for (const m of messages) {
    if (m.name === 'rowDescription') fields = (m as unknown as { fields: typeof fields }).fields;
    else if (m.name === 'dataRow') {
      const cells = (m as unknown as { fields: (string | null)[] }).fields;
      const row: Record<string, unknown> = {};
      fields.forEach((f, i) => {
        const v = cells[i] ?? null;
        row[f.name] = f.dataTypeID === BOOL_OID && v !== null ? v === 't' : v;
      });
      out.push(row as R);
    }
  }
  return out;
}

/** A value as PostgreSQL's text input reads it (arrays as array literals, elements quoted). */
function toText(v: unknown): string | null {
  if (v === null || v === undefined) return null;
  if (Array.isArray(v)) return `{${v.map(element).join(',')}}`;
  return String(v);
}

function element(v: unknown): string {
  if (v === null || v === undefined) return 'NULL';
  if (typeof v === 'number' || typeof v === 'bigint') return String(v);
  return `"${String(v).replace(/[\\"]/g, '\\$&')}"`;
}

function concat(parts: Uint8Array[]): Uint8Array {
  let n = 0;
  for (const p of parts) n += p.length;
  const out = new Uint8Array(n);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** For tests: a statement's text with its placeholders numbered as prepareRaw sends them. */
export const statementText = (query: SQL): string => dialect.sqlToQuery(query).sql;

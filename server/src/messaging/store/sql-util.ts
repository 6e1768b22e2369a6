import { type SQL, sql } from 'drizzle-orm';
import type { Db } from '../../db';

/**
 * Raw statements through drizzle: the two drivers answer `execute` differently (postgres.js a
 * row array, PGlite `{ rows }`), and type bigint differently (string, number), so rows are
 * normalised here and bigint columns read with Number()/String() by the callers.
 */
export async function rows<R>(db: Db, query: SQL): Promise<R[]> {
  const res = (await db.execute(query)) as unknown;
  return (Array.isArray(res) ? res : (res as { rows: R[] }).rows) as R[];
}

/** A JS array as ONE parameter (drizzle's template would expand a bare array into a list). */
export const param = (values: readonly unknown[]) => sql.param(values);

/** The PostgreSQL SQLSTATE of an error, looking through drizzle's wrapper (err.cause). */
export function pgCode(err: unknown): string | undefined {
  for (let e: unknown = err, depth = 0; e && depth < 4; depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code)) return code;
    e = (e as { cause?: unknown }).cause;
  }
  return undefined;
}

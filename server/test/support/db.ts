import { randomBytes } from 'node:crypto';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import postgres from 'postgres';
import { type Database, type DatabaseOptions, openDatabase } from '../../src/db';
import { migrationsHash, TEMPLATE_ROOT } from './global-setup';

export type DbKind = 'pglite' | 'postgres';

/** Drivers to run database-backed suites on: PGlite always, PostgreSQL when TEST_DATABASE_URL is set. */
export const DB_KINDS: DbKind[] = process.env.TEST_DATABASE_URL ? ['pglite', 'postgres'] : ['pglite'];

/** A private database for one test file: a copy of the migrated PGlite template, or a new PG database. */
export async function testDatabase(
  kind: DbKind = 'pglite',
  extra: Pick<DatabaseOptions, 'logQuery'> = {},
): Promise<Database> {
  if (kind === 'pglite') {
    const dir = mkdtempSync(join(tmpdir(), 'imw-pglite-'));
    cpSync(join(TEMPLATE_ROOT, migrationsHash(), 'data'), dir, { recursive: true });
    const db = await openDatabase({ ...extra, dataDir: dir });
    return {
      ...db,
      close: async () => {
        await db.close();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  }
  const base = process.env.TEST_DATABASE_URL;
  if (!base) throw new Error('TEST_DATABASE_URL is not set');
  const name = `imw_t_${randomBytes(6).toString('hex')}`;
  const admin = postgres(base, { max: 1, onnotice: () => undefined });
  await admin.unsafe(`CREATE DATABASE ${name}`);
  const url = new URL(base);
  url.pathname = `/${name}`;
  const db = await openDatabase({ ...extra, url: url.toString() });
  return {
    ...db,
    close: async () => {
      await db.close();
      await admin.unsafe(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.end();
    },
  };
}

/**
 * A fresh, empty database on the PostgreSQL server at `base` (TEST_DATABASE_URL by default), for
 * child-process servers, which migrate it; `drop()` removes it.
 */
export async function testDatabaseUrl(
  base = process.env.TEST_DATABASE_URL,
): Promise<{ url: string; drop(): Promise<void> }> {
  if (!base) throw new Error('TEST_DATABASE_URL is not set');
  const name = `imw_t_${randomBytes(6).toString('hex')}`;
  const admin = postgres(base, { max: 1, onnotice: () => undefined });
  await admin.unsafe(`CREATE DATABASE ${name}`);
  const url = new URL(base);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      await admin.unsafe(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.end();
    },
  };
}

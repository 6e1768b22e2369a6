import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { openDatabase } from '../../src/db';

/**
 * A fresh PGlite costs seconds and hundreds of MB. We migrate one template per migrations
 * version, once; every test file copies that folder (~0.3 s to open).
 */
export const TEMPLATE_ROOT = resolve(import.meta.dirname, '../../../.tmp/pglite-template');

export function migrationsHash(): string {
  const dir = resolve(import.meta.dirname, '../../drizzle');
  const h = createHash('sha256');
  for (const f of readdirSync(dir).sort()) if (f.endsWith('.sql')) h.update(readFileSync(join(dir, f)));
  return h.digest('hex').slice(0, 12);
}

export default async function setup(): Promise<void> {
  const dir = join(TEMPLATE_ROOT, migrationsHash());
  if (existsSync(join(dir, 'ready'))) return;
  rmSync(TEMPLATE_ROOT, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const db = await openDatabase({ dataDir: join(dir, 'data') });
  await db.close();
  await import('node:fs/promises').then((fs) => fs.writeFile(join(dir, 'ready'), ''));
}

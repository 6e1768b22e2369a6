import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** One ticket-sealing key and the id a ticket names it by (so keys can rotate). */
export interface TicketKey {
  id: string;
  key: Uint8Array;
}

const ID = /^[A-Za-z0-9_-]{1,16}$/;

/**
 * Parses `id:base64,id:base64,…` (TICKET_KEYS or the key file). The first key seals new tickets,
 * every key opens: rotating is prepending a new key, and dropping the old one a ticket TTL later.
 */
export function parseTicketKeys(text: string): TicketKey[] {
  const keys = text
    .split(/[,\s]+/)
    .filter(Boolean)
    .map((entry) => {
      const at = entry.indexOf(':');
      const id = entry.slice(0, at);
      const key = Buffer.from(entry.slice(at + 1), 'base64');
      if (at < 1 || !ID.test(id)) throw new Error(`ticket key id "${id}" must be 1-16 of [A-Za-z0-9_-]`);
      if (key.byteLength !== 32) throw new Error(`ticket key "${id}" must be 32 bytes in base64`);
      return { id, key: new Uint8Array(key) };
    });
  if (keys.length === 0) throw new Error('no ticket key given');
  if (new Set(keys.map((k) => k.id)).size !== keys.length) throw new Error('ticket key ids must differ');
  return keys;
}

export const TICKET_KEY_FILE = 'ticket-keys';

/**
 * R-SEC-31: the keys come from the environment (TICKET_KEYS, every node the same) or, for the
 * single-node default, from a file in the data folder, made on first start. Never from the
 * database: whoever reads it must not be able to mint a ticket for any user.
 */
export function loadTicketKeys(env: string | undefined, dataDir: string): TicketKey[] {
  if (env) return parseTicketKeys(env);
  const file = join(dataDir, TICKET_KEY_FILE);
  try {
    return parseTicketKeys(readFileSync(file, 'utf8'));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  mkdirSync(dataDir, { recursive: true });
  const fresh = `k${randomBytes(3).toString('hex')}:${randomBytes(32).toString('base64')}\n`;
  try {
    // 'wx': two nodes starting on one data folder agree on whichever file was written first.
    writeFileSync(file, fresh, { flag: 'wx', mode: 0o600 });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  }
  return parseTicketKeys(readFileSync(file, 'utf8'));
}

import { sql } from 'drizzle-orm';
import { customType, integer, pgTable, serial, text, timestamp } from 'drizzle-orm/pg-core';

/** bytea as Uint8Array on both drivers (PGlite and postgres.js return Buffer/Uint8Array). */
export const bytea = customType<{ data: Uint8Array; driverData: Uint8Array }>({
  dataType: () => 'bytea',
  toDriver: (v) => (Buffer.isBuffer(v) ? v : Buffer.from(v.buffer, v.byteOffset, v.byteLength)),
  fromDriver: (v) => new Uint8Array(v),
});

/**
 * Accounts hold SCRAM-SHA-256 verifiers only (salt, iterations, StoredKey, ServerKey): never a
 * password, never a plain or MD5 hash of one.
 */
export const users = pgTable('users', {
  id: serial('id').primaryKey(),
  username: text('username').notNull().unique(),
  displayName: text('display_name').notNull(),
  avatar: text('avatar').notNull().default('fox'),
  bio: text('bio').notNull().default(''),
  scramSalt: bytea('scram_salt').notNull(),
  scramIterations: integer('scram_iterations').notNull(),
  scramStoredKey: bytea('scram_stored_key').notNull(),
  scramServerKey: bytea('scram_server_key').notNull(),
  createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().default(sql`now()`),
});

/** Node-wide values that must survive restarts (e.g. the secret behind fake salts). */
export const serverMeta = pgTable('server_meta', {
  key: text('key').primaryKey(),
  value: bytea('value').notNull(),
});

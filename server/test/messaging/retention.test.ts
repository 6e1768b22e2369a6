import { directConv } from '@imw/shared';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UserRepo } from '../../src/accounts/repo';
import type { Database } from '../../src/db';
import { MessageStore, RetentionSweeper } from '../../src/messaging';
import { DB_KINDS, testDatabase } from '../support/db';

const DAY_MS = 86_400_000;
const quiet = pino({ level: 'silent' });
let nameSeq = 0;

describe.each(DB_KINDS)('message retention sweep (%s)', (kind) => {
  let db: Database;
  const now = Date.UTC(2026, 11, 20);

  beforeAll(async () => {
    db = await testDatabase(kind);
  });
  afterAll(async () => {
    await db?.close();
  });

  const newUser = async () =>
    (
      await new UserRepo(db.db).insert({
        username: `ret${Date.now().toString(36)}${(nameSeq++).toString(36)}`,
        displayName: 'r',
        scramSalt: new Uint8Array(16),
        scramIterations: 4096,
        scramStoredKey: new Uint8Array(32),
        scramServerKey: new Uint8Array(32),
      })
    ).id;

  it('R-HIST-6: the sweep deletes messages past MESSAGE_RETENTION_DAYS, and numbering continues', async () => {
    const store = new MessageStore(db.db, () => now);
    const a = await newUser();
    const b = await newUser();
    const conv = directConv(a, b);
    await store.append({ conv, senderId: a, text: 'old', atMs: now - 3 * DAY_MS });
    await store.append({ conv, senderId: b, text: 'recent', atMs: now - DAY_MS });
    // 0 days keeps everything; a sweep then is a no-op.
    await new RetentionSweeper(store, 0, 1000, quiet).sweepOnce();
    expect((await store.history(conv)).messages.map((m) => m.text)).toEqual(['old', 'recent']);
    const sweeper = new RetentionSweeper(store, 2, 1000, quiet);
    await sweeper.sweepOnce();
    expect((await store.history(conv)).messages.map((m) => [m.seq, m.text])).toEqual([[2, 'recent']]);
    const next = await store.append({ conv, senderId: a, text: 'new', atMs: now });
    expect(next.seq).toBe(3);
    await sweeper.stop();
  });
});

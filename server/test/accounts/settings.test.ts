import { type EventName, readSettings } from '@imw/shared';
import type { ImClient } from '@imw/shared/sdk';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ImServer } from '../../src';
import type { Database } from '../../src/db';
import { DB_KINDS, testDatabase } from '../support/db';
import { EventLog } from '../support/events';
import { newClient, startTestServer } from '../support/server';
import { errorCode, type TestUser, testUser } from '../support/users';

const EVENTS = ['settings.changed'] as const satisfies readonly EventName[];

describe('readSettings', () => {
  it('R-SET-4: keeps valid known fields and drops unknown or invalid ones', () => {
    expect(readSettings({ language: 'zh-CN', future: 1 })).toEqual({ language: 'zh-CN' });
    expect(readSettings({ language: 'klingon' })).toEqual({});
    expect(readSettings(null)).toEqual({});
    expect(readSettings('x')).toEqual({});
  });
});

describe.each(DB_KINDS)('settings (%s)', (kind) => {
  let db: Database;
  let server: ImServer;
  const open: ImClient[] = [];
  const user = async (prefix: string) => {
    const u = await testUser(server, prefix, EVENTS);
    open.push(u.client);
    return u;
  };
  /** Another device of `u`, logged in with the same password. */
  const device = async (u: TestUser) => {
    const client = newClient(server);
    open.push(client);
    const log = new EventLog(client, EVENTS);
    await client.connect();
    await client.login(u.username, u.password);
    return { client, log };
  };

  beforeAll(async () => {
    db = await testDatabase(kind);
    server = await startTestServer(db);
  });
  afterAll(async () => {
    for (const c of open) c.close();
    await server?.close();
    await db?.close();
  });

  it('R-SET-1: a new user has no settings; a set one is read back, also by a later login', async () => {
    const a = await user('sa');
    expect(await a.client.settings.get()).toEqual({});
    expect(await a.client.settings.set({ language: 'zh-CN' })).toEqual({ language: 'zh-CN' });
    expect(await a.client.settings.get()).toEqual({ language: 'zh-CN' });
    const later = await device(a);
    expect(await later.client.settings.get()).toEqual({ language: 'zh-CN' });
  });

  it('R-SET-2: null clears a field, an absent field stays, the answer is the whole object', async () => {
    const a = await user('sb');
    await a.client.settings.set({ language: 'zh-CN' });
    expect(await a.client.settings.set({ language: 'en' })).toEqual({ language: 'en' });
    expect(await a.client.settings.set({ language: null })).toEqual({});
    expect(await a.client.settings.get()).toEqual({});
  });

  it('R-SET-2: a bad value, an unknown setting or an empty change is BAD_REQUEST and changes nothing', async () => {
    const a = await user('sc');
    await a.client.settings.set({ language: 'en' });
    const raw = (params: unknown) => a.client.request('settings.set', params as never);
    expect(await errorCode(raw({ language: 'fr' }))).toBe('BAD_REQUEST');
    expect(await errorCode(raw({ colour: 'red' }))).toBe('BAD_REQUEST');
    expect(await errorCode(raw({}))).toBe('BAD_REQUEST');
    expect(await a.client.settings.get()).toEqual({ language: 'en' });
  });

  it('R-SET-3: the other sessions of the user hear settings.changed; the setter and others do not', async () => {
    const a = await user('sd');
    const other = await user('se');
    const a2 = await device(a);
    const seen: unknown[] = [];
    a2.client.settings.onChange((s) => seen.push(s));
    await a.client.settings.set({ language: 'zh-CN' });
    expect(await a2.log.wait('settings.changed')).toEqual({ settings: { language: 'zh-CN' } });
    expect(seen).toEqual([{ language: 'zh-CN' }]);
    // The setter's next answer follows any event queued for it: it got none.
    await a.client.settings.get();
    await other.client.settings.get();
    expect(a.log.of('settings.changed')).toEqual([]);
    expect(other.log.of('settings.changed')).toEqual([]);
  });

  it('R-SET-4: a stored object with unknown or invalid fields is read leniently; deleting the user deletes it', async () => {
    const a = await user('sf');
    await a.client.settings.set({ language: 'en' });
    await db.db.execute(
      sql`update user_settings set settings = '{"language":"xx","later":true}'::jsonb where user_id = ${a.userId}`,
    );
    expect(await a.client.settings.get()).toEqual({});
    expect(await a.client.settings.set({ language: 'zh-CN' })).toEqual({ language: 'zh-CN' });
    await db.db.execute(sql`delete from users where id = ${a.userId}`);
    const rows = await db.db.execute(sql`select 1 from user_settings where user_id = ${a.userId}`);
    expect(Array.isArray(rows) ? rows.length : (rows as { rows: unknown[] }).rows.length).toBe(0);
  });
});

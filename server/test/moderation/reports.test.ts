import { CloseCode } from '@imw/shared';
import { ImError } from '@imw/shared/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ImServer, ManualClock } from '../../src';
import type { Database } from '../../src/db';
import { DB_KINDS, testDatabase } from '../support/db';
import { closed, newClient, startTestServer } from '../support/server';
import { befriend, errorCode, sceneUser, testUser } from '../support/users';
import { ADMIN, adminCall } from './admin';

const EVENTS = ['account.warned', 'presence.changed', 'friends.removed'] as const;

describe.each(DB_KINDS)('reports and moderation (%s)', (kind) => {
  let db: Database;
  let server: ImServer;
  const clock = new ManualClock(Date.now());
  const user = (p: string) => testUser(server, p, EVENTS);
  const admin = (method: 'GET' | 'POST', path: string, body?: unknown, token?: string | null) =>
    adminCall(server.httpUrl, method, path, body, token);

  beforeAll(async () => {
    db = await testDatabase(kind);
    server = await startTestServer(db, { ADMIN_TOKEN: ADMIN, REPORTS_PER_USER_PER_HOUR: 3 }, clock);
  });
  afterAll(async () => {
    await server?.close();
    await db?.close();
  });

  const reportsAbout = async (userId: number, status = 'all') =>
    ((await admin('GET', `/admin/reports?status=${status}&limit=200`)).body.reports ?? []).filter(
      (r) => r.target.userId === userId,
    );

  it('R-RPT-1, R-RPT-5: a reported message reaches the admin list with the shared text, newest first; resolving is once', async () => {
    const a = await user('ra');
    const b = await user('rb');
    await befriend(a, b);
    const first = await a.client.request('reports.create', { userId: b.userId, category: 'spam' });
    const second = await a.client.request('reports.create', {
      userId: b.userId,
      category: 'harassment',
      note: 'keeps insulting me',
      message: { messageId: 'm-42', text: 'you are an idiot' },
    });
    expect(second.reportId).toBeGreaterThan(first.reportId);
    const open = await reportsAbout(b.userId, 'open');
    expect(open.map((r) => r.id)).toEqual([second.reportId, first.reportId]);
    expect(open[0]).toMatchObject({
      reporter: { userId: a.userId, username: a.username },
      target: { userId: b.userId, username: b.username },
      category: 'harassment',
      note: 'keeps insulting me',
      message: { messageId: 'm-42', text: 'you are an idiot' },
      resolvedAtMs: null,
    });
    expect(open[1]).toMatchObject({ category: 'spam', note: '', message: null });
    // Paging: before the newest, the next one.
    const page = await admin('GET', `/admin/reports?status=all&before=${second.reportId}&limit=1`);
    expect(page.body.reports?.map((r) => r.id)).toEqual([first.reportId]);

    const resolved = await admin('POST', '/admin/reports/resolve', {
      reportId: first.reportId,
      resolution: 'warned',
    });
    expect(resolved.status).toBe(200);
    expect(resolved.body).toMatchObject({ id: first.reportId, resolution: 'warned' });
    const again = await admin('POST', '/admin/reports/resolve', {
      reportId: first.reportId,
      resolution: 'other',
    });
    expect(again.body).toMatchObject({ resolution: 'warned', resolvedAtMs: resolved.body.resolvedAtMs });
    expect((await reportsAbout(b.userId, 'open')).map((r) => r.id)).toEqual([second.reportId]);
    expect((await reportsAbout(b.userId, 'resolved')).map((r) => r.id)).toEqual([first.reportId]);
    expect((await admin('POST', '/admin/reports/resolve', { reportId: 999_999 })).status).toBe(404);
    // The reports API is behind the admin token like the rest.
    expect((await admin('GET', '/admin/reports', undefined, null)).status).toBe(401);
    a.client.close();
    b.client.close();
  });

  it('R-RPT-3: a stranger answers exactly like a free user id and nothing is stored; group co-members and scene neighbours may be reported', async () => {
    const a = await user('sa');
    const stranger = await user('sb');
    const stranger2 = await user('sd');
    const unknown = await a.client
      .request('reports.create', { userId: 2 ** 31 - 2, category: 'spam' })
      .catch((e) => e);
    const known = await a.client
      .request('reports.create', { userId: stranger.userId, category: 'spam' })
      .catch((e) => e);
    expect(unknown).toBeInstanceOf(ImError);
    expect(known).toBeInstanceOf(ImError);
    const shape = (e: ImError) => ({
      code: e.code,
      message: e.message,
      details: e.details,
      retryAfterMs: e.retryAfterMs,
    });
    expect(shape(known)).toEqual(shape(unknown));
    expect(shape(known).code).toBe('NOT_FOUND');
    expect(await reportsAbout(stranger.userId)).toEqual([]);

    // A member of a group the reporter is in.
    const g = await stranger.client.request('groups.create', { name: 'Reporters' });
    await a.client.request('groups.join', { groupId: g.groupId });
    expect(
      await errorCode(a.client.request('reports.create', { userId: stranger.userId, category: 'spam' })),
    ).toBe('ok');
    // Someone in the same scene.
    const s1 = await sceneUser(server, 'sc');
    const s2 = await sceneUser(server, 'se');
    expect(
      await errorCode(s1.client.request('reports.create', { userId: s2.userId, category: 'other' })),
    ).toBe('ok');
    // Yourself: a plain refusal.
    expect(await errorCode(a.client.request('reports.create', { userId: a.userId, category: 'spam' }))).toBe(
      'BAD_REQUEST',
    );
    for (const u of [a, stranger, stranger2, s1, s2]) u.client.close();
  });

  it('R-RPT-2: notes, shared text and categories are bounded', async () => {
    const a = await user('la');
    const b = await user('lb');
    await befriend(a, b);
    const send = (p: object) =>
      errorCode(a.client.request('reports.create', { userId: b.userId, category: 'spam', ...p } as never));
    expect(await send({ note: 'x'.repeat(1001) })).toBe('BAD_REQUEST');
    expect(await send({ message: { messageId: 'm', text: 'x'.repeat(4001) } })).toBe('BAD_REQUEST');
    expect(await send({ category: 'boring' })).toBe('BAD_REQUEST');
    expect(await send({ extra: 1 })).toBe('BAD_REQUEST');
    expect(await send({ note: 'x'.repeat(1000), message: { messageId: 'm', text: 'y'.repeat(4000) } })).toBe(
      'ok',
    );
    a.client.close();
    b.client.close();
  });

  it('R-RPT-4: reports per user per hour, counted in the database', async () => {
    const a = await user('ha');
    const b = await user('hb');
    await befriend(a, b);
    for (let i = 0; i < 3; i++)
      await a.client.request('reports.create', { userId: b.userId, category: 'spam' });
    const refused = await a.client
      .request('reports.create', { userId: b.userId, category: 'spam' })
      .catch((e) => e);
    expect(refused).toBeInstanceOf(ImError);
    expect({ code: refused.code, message: refused.message }).toEqual({
      code: 'RATE_LIMITED',
      message: 'too many reports; try again later',
    });
    expect(refused.retryAfterMs).toBeGreaterThan(0);
    expect(await reportsAbout(b.userId)).toHaveLength(3);
    clock.advance(3_600_001);
    // An hour of silence ends the old connections (heartbeat timeout): a fresh login reports again.
    const later = newClient(server);
    await later.connect();
    await later.login(a.username, a.password);
    expect(await errorCode(later.request('reports.create', { userId: b.userId, category: 'spam' }))).toBe(
      'ok',
    );
    later.close();
    a.client.close();
    b.client.close();
  });

  it('R-MOD-1: a warning reaches every live session of the user with the operator’s text', async () => {
    const b = await user('wb');
    const second = newClient(server);
    await second.connect();
    await second.login(b.username, b.password);
    const secondWarned = new Promise<string>((resolve) =>
      second.on('account.warned', (e) => resolve(e.text)),
    );
    const r = await admin('POST', '/admin/users/warn', { userId: b.userId, text: 'Please keep it civil.' });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({
      kind: 'warn',
      userId: b.userId,
      username: b.username,
      text: 'Please keep it civil.',
    });
    expect((await b.log.wait('account.warned')).text).toBe('Please keep it civil.');
    expect(await secondWarned).toBe('Please keep it civil.');
    expect((await admin('POST', '/admin/users/warn', { userId: 2 ** 31 - 2, text: 'x' })).status).toBe(404);
    expect((await admin('POST', '/admin/users/warn', { userId: b.userId, text: '' })).status).toBe(400);
    b.client.close();
    second.close();
  });

  it('R-MOD-2, R-MOD-3, R-MOD-4: a suspension closes every session with 4020 and refuses login until its date, or until lifted', async () => {
    const a = await user('pa');
    const b = await user('pb');
    await befriend(a, b);
    const report = await a.client.request('reports.create', { userId: b.userId, category: 'spam' });
    const until = clock.now() + 24 * 3_600_000;
    const gone = closed(b.client);
    const r = await admin('POST', '/admin/users/suspend', {
      userId: b.userId,
      until: new Date(until).toISOString(),
      text: 'spam',
      reportId: report.reportId,
    });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ kind: 'suspend', untilMs: until, reportId: report.reportId });
    expect(await gone).toBe(CloseCode.SUSPENDED);
    await a.log.wait('presence.changed', (e) => e.userId === b.userId && e.status === 'offline');

    const tryLogin = async () => {
      const c = newClient(server);
      await c.connect();
      try {
        await c.login(b.username, b.password);
        return 'ok';
      } catch (e) {
        return e instanceof ImError ? `${e.code}:${e.retryAfterMs}` : String(e);
      } finally {
        c.close();
      }
    };
    expect(await tryLogin()).toBe(`SUSPENDED:${until - clock.now()}`);
    // A wrong password learns nothing about the suspension.
    const guess = newClient(server);
    await guess.connect();
    expect(await errorCode(guess.login(b.username, 'not-the-password'))).toBe('AUTH_FAILED');
    guess.close();
    // After the date, login works again.
    clock.advance(24 * 3_600_000 + 1);
    expect(await tryLogin()).toBe('ok');

    // Suspended again, then lifted: at once.
    expect(
      (await admin('POST', '/admin/users/suspend', { userId: b.userId, until: clock.now() + 60_000 })).status,
    ).toBe(200);
    expect((await tryLogin()).startsWith('SUSPENDED:')).toBe(true);
    expect(
      (await admin('POST', '/admin/users/unsuspend', { userId: b.userId, text: 'appeal accepted' })).status,
    ).toBe(200);
    expect(await tryLogin()).toBe('ok');
    // A date in the past is refused.
    expect(
      (await admin('POST', '/admin/users/suspend', { userId: b.userId, until: clock.now() - 1 })).status,
    ).toBe(400);
    a.client.close();
  });

  it('R-MOD-5, R-MOD-6: deleting an account goes the account.delete way, and every action is listed', async () => {
    const a = await user('da');
    const b = await user('db');
    await befriend(a, b);
    await admin('POST', '/admin/users/warn', { userId: b.userId, text: 'first warning' });
    const gone = closed(b.client);
    const del = await admin('POST', '/admin/users/delete', { userId: b.userId, text: 'repeated spam' });
    expect(del.status).toBe(200);
    expect(await gone).toBe(CloseCode.ACCOUNT_DELETED);
    await a.log.wait('friends.removed', (e) => e.userId === b.userId);
    const login = newClient(server);
    await login.connect();
    expect(await errorCode(login.login(b.username, b.password))).toBe('AUTH_FAILED');
    login.close();
    const actions = (await admin('GET', `/admin/actions?userId=${b.userId}`)).body.actions ?? [];
    expect(actions.map((x) => [x.kind, x.text, x.username])).toEqual([
      ['delete', 'repeated spam', b.username],
      ['warn', 'first warning', b.username],
    ]);
    const all = (await admin('GET', '/admin/actions?limit=200')).body.actions ?? [];
    expect(all.length).toBeGreaterThanOrEqual(2);
    expect(all.map((x) => x.id)).toEqual([...all.map((x) => x.id)].sort((p, q) => q - p));
    expect((await admin('POST', '/admin/users/delete', { userId: b.userId })).status).toBe(404);
    a.client.close();
  });
});

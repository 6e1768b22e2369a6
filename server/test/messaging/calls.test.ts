import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ImServer } from '../../src';
import type { Database } from '../../src/db';
import { testDatabase } from '../support/db';
import { EventLog } from '../support/events';
import { newClient, startTestServer } from '../support/server';
import { befriend, type TestUser, testUser } from '../support/users';

const EVENTS = ['chat.message', 'rtc.signal'] as const;
const RING_TIMEOUT_MS = 300;

/** The conversation's missed-call lines, as history (what a reload or another device reads) has them. */
async function missedLines(u: TestUser, peer: number) {
  const conv = `d:${Math.min(u.userId, peer)}:${Math.max(u.userId, peer)}`;
  const { messages } = await u.client.request('chat.history', { conv, limit: 50 });
  return messages.filter((m) => m.event === 'missedCall');
}

describe('calls that ring (R-CALL-*)', () => {
  const user = (prefix: string) => testUser(server, prefix, EVENTS);
  let db: Database;
  let server: ImServer;

  beforeAll(async () => {
    db = await testDatabase('pglite');
    server = await startTestServer(db, { RING_TIMEOUT_MS, RESUME_GRACE_MS: 0 });
  });
  afterAll(async () => {
    await server?.close();
    await db?.close();
  });

  it('R-CALL-1: ring, accept and decline are relayed between friends only', async () => {
    const [a, b, stranger] = await Promise.all([user('ra'), user('rb'), user('rx')]);
    await befriend(a!, b!);
    expect(
      await a!.client.request('rtc.signal', { to: b!.userId, callId: 'r1', kind: 'ring', media: 'video' }),
    ).toEqual({});
    expect(await b!.log.wait('rtc.signal', (s) => s.kind === 'ring')).toMatchObject({
      from: a!.userId,
      callId: 'r1',
      media: 'video',
    });
    await b!.client.request('rtc.signal', { to: a!.userId, callId: 'r1', kind: 'accept' });
    await a!.log.wait('rtc.signal', (s) => s.kind === 'accept' && s.from === b!.userId);
    await a!.client.request('rtc.signal', { to: b!.userId, callId: 'r1', kind: 'offer', sdp: 'v=0' });
    await b!.client.request('rtc.signal', { to: a!.userId, callId: 'r2', kind: 'decline' });
    await a!.log.wait('rtc.signal', (s) => s.kind === 'decline' && s.callId === 'r2');
    // A stranger's ring vanishes: no answer, nothing delivered.
    const ring = stranger!.client.request('rtc.signal', { to: b!.userId, callId: 'r3', kind: 'ring' });
    let settled = false;
    void ring.then(
      () => (settled = true),
      () => (settled = true),
    );
    await stranger!.client.request('account.getProfile', {});
    await b!.client.request('account.getProfile', {});
    expect(settled).toBe(false);
    expect(b!.log.of('rtc.signal').filter((s) => s.from === stranger!.userId)).toEqual([]);
    for (const u of [a, b, stranger]) u!.client.close();
  });

  it('R-CALL-3: an unanswered call ends for both after RING_TIMEOUT_MS and leaves a missed-call line for both', async () => {
    const [a, b] = await Promise.all([user('ma'), user('mb')]);
    await befriend(a!, b!);
    await a!.client.request('rtc.signal', { to: b!.userId, callId: 'm1', kind: 'ring', media: 'audio' });
    // The server, not a client, ends it: each side gets a hang-up from the other.
    expect(await b!.log.wait('rtc.signal', (s) => s.kind === 'hangup' && s.callId === 'm1')).toMatchObject({
      from: a!.userId,
    });
    expect(await a!.log.wait('rtc.signal', (s) => s.kind === 'hangup' && s.callId === 'm1')).toMatchObject({
      from: b!.userId,
    });
    for (const u of [a!, b!]) {
      expect(await u.log.wait('chat.message', (m) => m.event === 'missedCall')).toMatchObject({
        from: a!.userId,
        to: b!.userId,
        text: '',
      });
    }
    // Stored: history (a reload, another device) has the line.
    expect(await missedLines(b!, a!.userId)).toMatchObject([
      { from: a!.userId, text: '', event: 'missedCall' },
    ]);
    expect(await missedLines(a!, b!.userId)).toHaveLength(1);
    a!.client.close();
    b!.client.close();
  });

  it('R-CALL-2/R-CALL-4: an accepted call (the caller offers) and a cancelled or declined one leave no line', async () => {
    const [a, b] = await Promise.all([user('na'), user('nb')]);
    await befriend(a!, b!);
    const ring = (callId: string) => a!.client.request('rtc.signal', { to: b!.userId, callId, kind: 'ring' });
    await ring('answered');
    await b!.client.request('rtc.signal', { to: a!.userId, callId: 'answered', kind: 'accept' });
    await a!.client.request('rtc.signal', { to: b!.userId, callId: 'answered', kind: 'offer', sdp: 'v=0' });
    await ring('declined');
    await b!.client.request('rtc.signal', { to: a!.userId, callId: 'declined', kind: 'decline' });
    await a!.client.request('rtc.signal', { to: b!.userId, callId: 'declined', kind: 'hangup' });
    await ring('cancelled');
    await a!.client.request('rtc.signal', { to: b!.userId, callId: 'cancelled', kind: 'hangup' });
    // A later call left to ring out: timers of one length fire in order, so by its line the
    // earlier calls' timers would have fired too.
    await ring('late');
    await b!.log.wait('chat.message', (m) => m.event === 'missedCall');
    await a!.log.wait('rtc.signal', (s) => s.kind === 'hangup' && s.callId === 'late');
    expect(await missedLines(a!, b!.userId)).toHaveLength(1);
    expect(
      b!.log
        .of('rtc.signal')
        .filter((s) => s.kind === 'hangup' && s.from === a!.userId)
        .map((s) => s.callId),
    ).toEqual(['declined', 'cancelled', 'late']);
    a!.client.close();
    b!.client.close();
  });

  it('R-CALL-5: a call to an invisible friend is answered and recorded exactly like one to an offline friend', async () => {
    const [a, inv, off] = await Promise.all([user('ia'), user('ii'), user('io')]);
    await befriend(a!, inv!);
    await befriend(a!, off!);
    await inv!.client.request('presence.setStatus', { status: 'invisible' });
    off!.client.close();
    const acks = [
      await a!.client.request('rtc.signal', { to: inv!.userId, callId: 'i1', kind: 'ring' }),
      await a!.client.request('rtc.signal', { to: off!.userId, callId: 'o1', kind: 'ring' }),
    ];
    expect(acks).toEqual([{}, {}]);
    for (const to of [inv!.userId, off!.userId]) {
      await a!.log.wait('chat.message', (m) => m.event === 'missedCall' && m.to === to);
    }
    expect(
      a!.log
        .of('rtc.signal')
        .filter((s) => s.kind === 'hangup')
        .map((s) => s.callId),
    ).toEqual(['i1', 'o1']);
    // The offline friend finds the line on its next login.
    expect(await missedLines(a!, off!.userId)).toHaveLength(1);
    a!.client.close();
    inv!.client.close();
  });

  it("R-CALL-7: the callee's answer reaches its other sessions, not the answering one", async () => {
    const [a, b] = await Promise.all([user('da'), user('db')]);
    await befriend(a!, b!);
    const other = newClient(server);
    await other.connect();
    await other.login(b!.username, b!.password);
    const otherLog = new EventLog(other, ['rtc.signal']);
    await a!.client.request('rtc.signal', { to: b!.userId, callId: 'd1', kind: 'ring' });
    await otherLog.wait('rtc.signal', (s) => s.kind === 'ring' && s.callId === 'd1');
    await b!.client.request('rtc.signal', { to: a!.userId, callId: 'd1', kind: 'accept' });
    expect(await otherLog.wait('rtc.signal', (s) => s.kind === 'accept')).toMatchObject({
      from: b!.userId,
      callId: 'd1',
    });
    await a!.log.wait('rtc.signal', (s) => s.kind === 'accept' && s.callId === 'd1');
    await a!.client.request('rtc.signal', { to: b!.userId, callId: 'd1', kind: 'offer', sdp: 'v=0' });
    await b!.log.wait('rtc.signal', (s) => s.kind === 'offer' && s.callId === 'd1');
    // The answering session was not told its own answer.
    expect(b!.log.of('rtc.signal').filter((s) => s.kind === 'accept')).toEqual([]);
    for (const c of [a!.client, b!.client, other]) c.close();
  });

  it('R-CALL-6: a blocked user cannot ring', async () => {
    const [a, b] = await Promise.all([user('ba'), user('bb')]);
    await befriend(a!, b!);
    await b!.client.request('blocks.add', { userId: a!.userId });
    let settled = false;
    void a!.client.request('rtc.signal', { to: b!.userId, callId: 'b1', kind: 'ring' }).then(
      () => (settled = true),
      () => (settled = true),
    );
    await a!.client.request('account.getProfile', {});
    await b!.client.request('account.getProfile', {});
    expect(settled).toBe(false);
    expect(b!.log.of('rtc.signal')).toEqual([]);
    a!.client.close();
    b!.client.close();
  });
});

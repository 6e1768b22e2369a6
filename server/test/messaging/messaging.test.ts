import { createHmac } from 'node:crypto';
import { CloseCode, ErrorCode } from '@imw/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ImServer, ManualClock } from '../../src';
import type { Database } from '../../src/db';
import { checkText } from '../../src/messaging';
import { testDatabase } from '../support/db';
import { closed, newClient, startTestServer } from '../support/server';
import { befriend, errorCode, type TestUser, testUser } from '../support/users';

const EVENTS = [
  'friends.requestReceived',
  'friends.added',
  'chat.message',
  'chat.groupMessage',
  'chat.system',
  'chat.ad',
  'rtc.signal',
  'presence.changed',
] as const;

const ADMIN = 'test-admin-token-abcdef-0123456789abcdef';
const TURN_SECRET = 'turn-shared-secret';

/** Tracks whether a promise has settled, without awaiting it. */
function watch<T>(p: Promise<T>) {
  const state = { settled: false };
  p.then(
    () => {
      state.settled = true;
    },
    () => {
      state.settled = true;
    },
  );
  return state;
}

describe('messages and direct connections', () => {
  const user = (prefix: string) => testUser(server, prefix, EVENTS);
  let db: Database;
  let server: ImServer;

  beforeAll(async () => {
    db = await testDatabase('pglite');
    server = await startTestServer(db, {
      ADMIN_TOKEN: ADMIN,
      TURN_URLS: 'turn:turn.example.test:3478?transport=udp',
      TURN_SECRET,
      STUN_URLS: 'stun:stun.example.test:3478',
      CHAT_MAX_TEXT_CHARS: 100,
      CHAT_RATE_PER_SEC: 5,
      CHAT_BURST: 10,
      RATE_STRIKES_TO_CLOSE: 20,
      RESUME_GRACE_MS: 0,
    });
  });
  afterAll(async () => {
    await server?.close();
    await db?.close();
  });

  const admin = (path: string, body: unknown, token: string | null = ADMIN) =>
    fetch(`${server.httpUrl}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify(body),
    });

  it('R-MSG-1: a friend message is delivered with a server id and time, in order', async () => {
    const a = await user('ma');
    const b = await user('mb');
    await befriend(a, b);
    const acks = [];
    for (let i = 0; i < 5; i++)
      acks.push(await a.client.request('chat.send', { to: b.userId, text: `hello ${i}` }));
    await b.log.wait('chat.message', (m) => m.text === 'hello 4');
    const got = b.log.of('chat.message');
    expect(got.map((m) => m.text)).toEqual(['hello 0', 'hello 1', 'hello 2', 'hello 3', 'hello 4']);
    expect(got[0]).toMatchObject({ from: a.userId, to: b.userId, messageId: acks[0]!.messageId });
    expect(new Set(acks.map((x) => x.messageId)).size).toBe(5);
    a.client.close();
    b.client.close();
  });

  it('R-MSG-2: the ack to an offline friend looks exactly like the ack to an invisible one', async () => {
    const a = await user('oa');
    const off = await user('ob');
    const inv = await user('oc');
    await befriend(a, off);
    await befriend(a, inv);
    off.client.close();
    await a.log.wait('presence.changed', (e) => e.userId === off.userId && e.status === 'offline');
    await inv.client.request('presence.setStatus', { status: 'invisible' });
    await a.log.wait('presence.changed', (e) => e.userId === inv.userId && e.status === 'offline');
    const toOffline = await a.client.request('chat.send', { to: off.userId, text: 'are you there?' });
    const toInvisible = await a.client.request('chat.send', { to: inv.userId, text: 'are you there?' });
    const shape = (x: object) => Object.entries(x).map(([k, v]) => [k, typeof v]);
    expect(shape(toOffline)).toEqual(shape(toInvisible));
    // The invisible friend does get the message: invisible is about being seen, not about hearing.
    await inv.log.wait('chat.message', (m) => m.from === a.userId);
    a.client.close();
    inv.client.close();
  });

  it('R-MSG-3: a stranger’s message and signal produce nothing on either side', async () => {
    const a = await user('sa');
    const b = await user('sb');
    const msg = watch(a.client.request('chat.send', { to: b.userId, text: 'hi stranger' }));
    const sig = watch(
      a.client.request('rtc.signal', { to: b.userId, callId: 'c1', kind: 'offer', sdp: 'v=0' }),
    );
    // Requests of one connection run in order: once this answer is back, both were handled.
    await a.client.request('account.getProfile', {});
    await b.client.request('account.getProfile', {});
    expect(msg.settled).toBe(false);
    expect(sig.settled).toBe(false);
    expect(b.log.of('chat.message')).toEqual([]);
    expect(b.log.of('rtc.signal')).toEqual([]);
    a.client.close();
    b.client.close();
  });

  it('R-MSG-4: a group message reaches online members but not the sender, non-members or leavers', async () => {
    const [owner, m1, m2, leaver, outsider] = await Promise.all(
      ['go', 'g1', 'g2', 'gl', 'gx'].map((p) => user(p)),
    );
    const g = await owner!.client.request('groups.create', { name: 'Chatters' });
    for (const u of [m1!, m2!, leaver!]) await u.client.request('groups.join', { groupId: g.groupId });
    await leaver!.client.request('groups.leave', { groupId: g.groupId });
    const ack = await m1!.client.request('chat.sendGroup', { groupId: g.groupId, text: 'hi all' });
    for (const u of [owner!, m2!]) {
      const got = await u.log.wait('chat.groupMessage', (e) => e.messageId === ack.messageId);
      expect(got).toMatchObject({ groupId: g.groupId, from: m1!.userId, text: 'hi all' });
    }
    await Promise.all([m1, leaver, outsider].map((u) => u!.client.request('account.getProfile', {})));
    // Join and leave lines (R-GRP-32) are not messages; only those count here.
    const messages = (u: TestUser) => u.log.of('chat.groupMessage').filter((m) => m.event === undefined);
    for (const u of [m1!, leaver!, outsider!]) expect(messages(u)).toEqual([]);
    expect(
      await errorCode(outsider!.client.request('chat.sendGroup', { groupId: g.groupId, text: 'let me in' })),
    ).toBe(ErrorCode.FORBIDDEN);
    for (const u of [owner, m1, m2, leaver, outsider]) u!.client.close();
  });

  it('R-MSG-5: empty, too long and invalid text is refused with BAD_REQUEST', async () => {
    const a = await user('ta');
    const b = await user('tb');
    await befriend(a, b);
    expect(await errorCode(a.client.request('chat.send', { to: b.userId, text: '' }))).toBe(
      ErrorCode.BAD_REQUEST,
    );
    expect(await errorCode(a.client.request('chat.send', { to: b.userId, text: '   ' }))).toBe(
      ErrorCode.BAD_REQUEST,
    );
    expect(await errorCode(a.client.request('chat.send', { to: b.userId, text: 'x'.repeat(101) }))).toBe(
      ErrorCode.BAD_REQUEST,
    );
    // A lone surrogate cannot be encoded as valid UTF-8: it reaches the server as invalid bytes.
    expect(await errorCode(a.client.request('chat.send', { to: b.userId, text: 'bad \ud800 text' }))).toBe(
      ErrorCode.BAD_REQUEST,
    );
    expect(await errorCode(a.client.request('chat.send', { to: b.userId, text: 'bell \u0007' }))).toBe(
      ErrorCode.BAD_REQUEST,
    );
    await a.client.request('account.getProfile', {});
    expect(b.log.of('chat.message')).toEqual([]);
    expect(checkText('ok\n', 10)).toBeNull();
    expect(checkText('\ufffd', 10)).toBe('invalid UTF-8');
    a.client.close();
    b.client.close();
  });

  it('R-MSG-6: system notices and ads reach every online user, strangers included; bad tokens are refused', async () => {
    const a = await user('ya');
    const loner = await user('yl');
    expect((await admin('/admin/system', { text: 'maintenance at 5' }, null)).status).toBe(401);
    expect((await admin('/admin/system', { text: 'maintenance at 5' }, 'wrong-token')).status).toBe(401);
    expect((await admin('/admin/system', { nope: 1 })).status).toBe(400);
    const r = await admin('/admin/system', { text: 'maintenance at 5' });
    expect(r.status).toBe(200);
    for (const u of [a, loner]) await u.log.wait('chat.system', (e) => e.text === 'maintenance at 5');
    const ad = await admin('/admin/ad', {
      title: 'New maps',
      text: 'Visit the park',
      link: 'https://example.com/park',
    });
    expect(ad.status).toBe(200);
    for (const u of [a, loner]) {
      expect(await u.log.wait('chat.ad')).toMatchObject({
        title: 'New maps',
        link: 'https://example.com/park',
      });
    }
    const one = await admin('/admin/system', { text: 'just you', userId: loner.userId });
    expect(one.status).toBe(200);
    await loner.log.wait('chat.system', (e) => e.text === 'just you');
    await a.client.request('account.getProfile', {});
    expect(a.log.of('chat.system').map((e) => e.text)).not.toContain('just you');
    a.client.close();
    loner.client.close();
  });

  it('R-RTC-1: ICE servers carry TURN credentials that verify with the shared secret', async () => {
    const a = await user('ra');
    const r = await a.client.request('rtc.iceServers', {});
    const turn = r.iceServers.find((s) => s.urls.some((u) => u.startsWith('turn:')));
    expect(turn?.username).toMatch(new RegExp(`^\\d+:${a.userId}$`));
    const expiry = Number(turn!.username!.split(':')[0]);
    expect(expiry).toBeGreaterThan(Date.now() / 1000);
    expect(expiry).toBeLessThanOrEqual(Date.now() / 1000 + 3600 + 1);
    expect(turn?.credential).toBe(createHmac('sha1', TURN_SECRET).update(turn!.username!).digest('base64'));
    expect(r.iceServers.some((s) => s.urls.includes('stun:stun.example.test:3478'))).toBe(true);
    a.client.close();
  });

  it('R-RTC-2: offer, answer, candidates and hang-up are relayed between friends both ways', async () => {
    const a = await user('ca');
    const b = await user('cb');
    await befriend(a, b);
    await a.client.request('rtc.signal', {
      to: b.userId,
      callId: 'k1',
      kind: 'offer',
      sdp: 'v=0 offer',
      media: 'video',
    });
    expect(await b.log.wait('rtc.signal', (s) => s.kind === 'offer')).toMatchObject({
      from: a.userId,
      callId: 'k1',
      sdp: 'v=0 offer',
      media: 'video',
    });
    await b.client.request('rtc.signal', { to: a.userId, callId: 'k1', kind: 'answer', sdp: 'v=0 answer' });
    await a.log.wait('rtc.signal', (s) => s.kind === 'answer' && s.from === b.userId);
    const candidate = {
      candidate: 'candidate:1 1 udp 2122260223 10.0.0.1 5000 typ host',
      sdpMid: '0',
      sdpMLineIndex: 0,
    };
    await b.client.request('rtc.signal', { to: a.userId, callId: 'k1', kind: 'candidate', candidate });
    expect((await a.log.wait('rtc.signal', (s) => s.kind === 'candidate')).candidate).toEqual(candidate);
    await a.client.request('rtc.signal', { to: b.userId, callId: 'k1', kind: 'hangup' });
    await b.log.wait('rtc.signal', (s) => s.kind === 'hangup');
    a.client.close();
    b.client.close();
  });

  it('R-RTC-3: oversized SDP and malformed candidates are refused', async () => {
    const a = await user('xa');
    const b = await user('xb');
    await befriend(a, b);
    expect(
      await errorCode(
        a.client.request('rtc.signal', { to: b.userId, callId: 'k', kind: 'offer', sdp: 'x'.repeat(20_000) }),
      ),
    ).toBe(ErrorCode.BAD_REQUEST);
    expect(
      await errorCode(
        a.client.request('rtc.signal', {
          to: b.userId,
          callId: 'k',
          kind: 'candidate',
          candidate: { candidate: 5 } as unknown as { candidate: string },
        }),
      ),
    ).toBe(ErrorCode.BAD_REQUEST);
    a.client.close();
    b.client.close();
  });

  it('R-MSG-7: a flood is answered with RATE_LIMITED, and sustained abuse closes the connection', async () => {
    const a = await user('fa');
    const b = await user('fb');
    await befriend(a, b);
    // Each send waits for its store write (one connection's requests run one after the other), so
    // the bucket refills meanwhile: sent well past the burst, some are refused whatever the write costs.
    const results = await Promise.all(
      Array.from({ length: 25 }, (_, i) =>
        errorCode(a.client.request('chat.send', { to: b.userId, text: `m${i}` })),
      ),
    );
    expect(results.filter((r) => r === 'ok').length).toBeGreaterThanOrEqual(10);
    expect(results).toContain(ErrorCode.RATE_LIMITED);
    const flood = Array.from({ length: 40 }, () =>
      errorCode(a.client.request('chat.send', { to: b.userId, text: 'spam' })),
    );
    expect(await closed(a.client)).toBe(CloseCode.RATE_LIMITED);
    await Promise.all(flood);
    // Everyone else is still served.
    expect((await b.client.request('account.getProfile', {})).userId).toBe(b.userId);
    b.client.close();
  });

  it('R-RTC-4: signalling has its own bucket: an exhausted chat budget does not hold up a call, and a signal flood is limited', async () => {
    // A clock that stands still: no bucket refills, so the counts below are exact whatever the
    // machine's load (each send waits for its store write, which on a real clock refills tokens).
    const clock = new ManualClock(Date.now());
    const quiet = await startTestServer(
      db,
      { CHAT_RATE_PER_SEC: 5, CHAT_BURST: 10, SIGNAL_BURST: 100, RATE_STRIKES_TO_CLOSE: 20 },
      clock,
    );
    try {
      const a = await testUser(quiet, 'sa', EVENTS);
      const b = await testUser(quiet, 'sb', EVENTS);
      await befriend(a, b);
      // Chat budget (burst 10) used up: 15 refusals, fewer than the 20 strikes that would close.
      const chats = await Promise.all(
        Array.from({ length: 25 }, (_, i) =>
          errorCode(a.client.request('chat.send', { to: b.userId, text: `c${i}` })),
        ),
      );
      expect(chats.filter((c) => c === ErrorCode.RATE_LIMITED)).toHaveLength(15);
      // A call's burst of ICE candidates still goes through, every one of them.
      const candidate = { candidate: 'candidate:1 1 udp 2122260223 10.0.0.1 50000 typ host', sdpMid: '0' };
      const signal = () =>
        errorCode(
          a.client.request('rtc.signal', { to: b.userId, callId: 'burst', kind: 'candidate', candidate }),
        );
      expect(await Promise.all(Array.from({ length: 40 }, signal))).toEqual(
        Array.from({ length: 40 }, () => 'ok'),
      );
      await b.log.wait(
        'rtc.signal',
        () => b.log.of('rtc.signal').filter((x) => x.callId === 'burst').length === 40,
      );
      // Past SIGNAL_BURST (100) signalling is limited too.
      const flood = await Promise.all(Array.from({ length: 70 }, signal));
      expect(flood.filter((c) => c === 'ok')).toHaveLength(60);
      expect(flood).toContain(ErrorCode.RATE_LIMITED);
      a.client.close();
      b.client.close();
    } finally {
      await quiet.close();
    }
  });

  it('R-NET-5: without ADMIN_TOKEN the admin API does not exist', async () => {
    const other = await startTestServer(db, {});
    const r = await fetch(`${other.httpUrl}/admin/system`, {
      method: 'POST',
      headers: { authorization: 'Bearer x' },
      body: '{"text":"x"}',
    });
    expect(r.status).toBe(404);
    await other.close();
    const c = newClient(server);
    await c.connect();
    c.close();
  });
});

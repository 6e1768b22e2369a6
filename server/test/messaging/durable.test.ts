import { directConv, ErrorCode, eventNameById, groupConv, type WireRecord } from '@imw/shared';
import type { ChatMessage, ImClient, SyncSummary } from '@imw/shared/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ImServer } from '../../src';
import type { Database } from '../../src/db';
import { DB_KINDS, testDatabase } from '../support/db';
import { newClient, startTestServer } from '../support/server';
import { befriend, errorCode, type TestUser, testUser } from '../support/users';
import { Wakeup } from '../support/wait';

const EVENTS = ['chat.message', 'chat.groupMessage', 'chat.read', 'groups.memberJoined'] as const;

/** What the SDK emitted for durable messages: every `message` and `sync`, in order. */
function chatLog(client: ImClient) {
  const messages: ChatMessage[] = [];
  const syncs: SyncSummary[] = [];
  const wakeup = new Wakeup();
  client.on('message', (m) => {
    messages.push(m);
    wakeup.wake();
  });
  client.on('sync', (s) => syncs.push(s));
  return {
    messages,
    until: (cond: () => boolean) => wakeup.until(cond, 5000),
    syncs,
    of: (conv: string) => messages.filter((m) => m.conv === conv),
    texts: (conv: string) => messages.filter((m) => m.conv === conv).map((m) => m.text),
  };
}

/** A second login of an existing user on a fresh client (the first is closed first). */
async function loginAgain(server: ImServer, u: TestUser) {
  const client = newClient(server, { chatSync: true });
  const log = chatLog(client);
  await client.connect();
  await client.login(u.username, u.password);
  return { client, log };
}

describe.each(DB_KINDS)('durable messages (%s)', (kind) => {
  let db: Database;
  let server: ImServer;
  const user = (prefix: string) => testUser(server, prefix, EVENTS);
  const pair = async () => {
    const a = await user('da');
    const b = await user('db');
    await befriend(a, b);
    return { a, b, conv: directConv(a.userId, b.userId) };
  };

  beforeAll(async () => {
    db = await testDatabase(kind);
    server = await startTestServer(db, { RESUME_GRACE_MS: 0, CHAT_RATE_PER_SEC: 0 });
  });
  afterAll(async () => {
    await server?.close();
    await db?.close();
  });

  it('R-MSG-8 R-SDK-1 R-HIST-1: messages to an offline friend are stored, and synced in order at login', async () => {
    const { a, b, conv } = await pair();
    await b.client.logout();
    const acks = [];
    for (let i = 1; i <= 7; i++) acks.push(await a.client.send(b.userId, `offline ${i}`));
    expect(acks.map((x) => x.seq)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(acks.every((x) => x.conv === conv && /^\d+$/.test(x.messageId))).toBe(true);

    const again = await loginAgain(server, b);
    await again.log.until(() => again.log.of(conv).length === 7);
    expect(again.log.texts(conv)).toEqual([1, 2, 3, 4, 5, 6, 7].map((i) => `offline ${i}`));
    expect(again.log.of(conv).map((m) => m.seq)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(again.log.of(conv)[0]).toMatchObject({
      from: a.userId,
      own: false,
      messageId: acks[0]!.messageId,
    });
    expect(again.log.syncs[0]?.conversations).toContainEqual(
      expect.objectContaining({ conv, lastSeq: 7, readSeq: 0, unread: 7 }),
    );
    // The sender's read position followed its own messages: nothing unread for a.
    const mine = await a.client.sync();
    expect(mine.conversations).toContainEqual(
      expect.objectContaining({ conv, lastSeq: 7, readSeq: 7, unread: 0 }),
    );
    again.client.close();
    a.client.close();
  });

  it('R-MSG-9: a resend with the same clientId gets the identical ack and is delivered once', async () => {
    const { a, b, conv } = await pair();
    const first = await a.client.request('chat.send', { to: b.userId, text: 'once', clientId: 'resend-1' });
    const second = await a.client.request('chat.send', { to: b.userId, text: 'once', clientId: 'resend-1' });
    expect(second).toEqual(first);
    await a.client.request('chat.send', { to: b.userId, text: 'marker' });
    await b.log.wait('chat.message', (m) => m.text === 'marker');
    expect(b.log.of('chat.message').filter((m) => m.text === 'once')).toHaveLength(1);
    const page = await b.client.history(conv);
    expect(page.messages.map((m) => m.text)).toEqual(['once', 'marker']);
    expect(page.messages[0]).toMatchObject({ clientId: 'resend-1', from: a.userId, seq: 1 });
    // One clientId for a message to another conversation is a client bug.
    const c = await user('dc');
    await befriend(a, c);
    expect(
      await errorCode(a.client.request('chat.send', { to: c.userId, text: 'x', clientId: 'resend-1' })),
    ).toBe(ErrorCode.BAD_REQUEST);
    for (const u of [a, b, c]) u.client.close();
  });

  it('R-MSG-10: pushes carry conv, seq and clientId; the sending session gets the ack, not the push', async () => {
    const { a, b, conv } = await pair();
    const ack = await a.client.request('chat.send', { to: b.userId, text: 'hi', clientId: 'push-1' });
    const got = await b.log.wait('chat.message', (m) => m.text === 'hi');
    expect(got).toMatchObject({
      conv,
      seq: ack.seq,
      messageId: ack.messageId,
      clientId: 'push-1',
      atMs: ack.atMs,
    });
    await b.client.request('chat.send', { to: a.userId, text: 'back' });
    await a.log.wait('chat.message', (m) => m.text === 'back');
    expect(a.log.of('chat.message').map((m) => m.text)).toEqual(['back']);
    a.client.close();
    b.client.close();
  });

  it('R-SDK-2: a lost push is fetched from history before the next one is emitted', async () => {
    const { a, b, conv } = await pair();
    const log = chatLog(b.client);
    // Drop the second chat.message the server would hand to b's session (a push lost in transit).
    const presence = server.presence as unknown as {
      deliverLocal(userId: number, records: readonly WireRecord[], except?: string): boolean;
    };
    const original = presence.deliverLocal.bind(presence);
    let seen = 0;
    presence.deliverLocal = (userId, records, except) => {
      if (userId === b.userId && records.some((r) => eventNameById.get(r.typeId) === 'chat.message')) {
        if (++seen === 2) return true;
      }
      return original(userId, records, except);
    };
    try {
      for (const text of ['one', 'two', 'three']) await a.client.send(b.userId, text);
      await log.until(() => log.of(conv).length === 3);
    } finally {
      presence.deliverLocal = original;
    }
    expect(b.log.of('chat.message').map((m) => m.text)).toEqual(['one', 'three']);
    expect(log.texts(conv)).toEqual(['one', 'two', 'three']);
    expect(log.of(conv).map((m) => m.seq)).toEqual([1, 2, 3]);
    a.client.close();
    b.client.close();
  });

  it('R-HIST-2: history pages backwards for scrolling up and forwards after a cursor', async () => {
    const { a, b, conv } = await pair();
    for (let i = 1; i <= 7; i++) await a.client.send(b.userId, `h${i}`);
    const seqs = (p: { messages: { seq: number }[] }) => p.messages.map((m) => m.seq);
    const newest = await b.client.history(conv, { limit: 3 });
    expect([seqs(newest), newest.more]).toEqual([[5, 6, 7], true]);
    const older = await b.client.history(conv, { beforeSeq: 5, limit: 3 });
    expect([seqs(older), older.more]).toEqual([[2, 3, 4], true]);
    const oldest = await b.client.history(conv, { beforeSeq: 2, limit: 3 });
    expect([seqs(oldest), oldest.more]).toEqual([[1], false]);
    const forward = await a.client.history(conv, { afterSeq: 4, limit: 2 });
    expect([seqs(forward), forward.more]).toEqual([[5, 6], true]);
    const range = await a.client.history(conv, { afterSeq: 2, beforeSeq: 5 });
    expect([seqs(range), range.more]).toEqual([[3, 4], false]);
    expect(newest.messages[2]).toMatchObject({ text: 'h7', from: a.userId, conv });
    a.client.close();
    b.client.close();
  });

  it('R-HIST-3: bad cursors, empty ranges and limits are refused with BAD_REQUEST', async () => {
    const { a, b, conv } = await pair();
    const bad = [
      { conv, limit: 0 },
      { conv, limit: 201 },
      { conv, afterSeq: -1 },
      { conv, beforeSeq: 1.5 },
      { conv, afterSeq: 5, beforeSeq: 6 },
      { conv, afterSeq: 5, beforeSeq: 3 },
      { conv: 'x:1' },
      { conv: `d:${b.userId}:${a.userId}` }, // not canonical (lo first)
    ];
    for (const q of bad)
      expect([q, await errorCode(a.client.request('chat.history', q as never))]).toEqual([
        q,
        ErrorCode.BAD_REQUEST,
      ]);
    expect(await errorCode(a.client.request('chat.read', { conv, seq: -3 }))).toBe(ErrorCode.BAD_REQUEST);
    a.client.close();
    b.client.close();
  });

  it('R-HIST-4 R-MSG-3 R-MSG-4: strangers are not stored; history and read of foreign conversations are FORBIDDEN alike', async () => {
    const { a, b, conv } = await pair();
    const stranger = await user('ds');
    await a.client.send(b.userId, 'private');
    // The stranger's message gets no answer; the next answered request proves it was handled.
    const dropped = errorCode(stranger.client.request('chat.send', { to: a.userId, text: 'spam' }));
    await stranger.client.request('account.getProfile', {});
    const strangerConv = directConv(a.userId, stranger.userId);
    expect((await a.client.history(strangerConv)).messages).toEqual([]);
    expect((await a.client.sync()).conversations.map((c) => c.conv)).not.toContain(strangerConv);

    const forbidden = async (p: Promise<unknown>) => {
      const err = await p.then(
        () => null,
        (e: { code: string; message: string }) => e,
      );
      return err && { code: err.code, message: err.message };
    };
    const existing = await forbidden(stranger.client.history(conv));
    const missing = await forbidden(stranger.client.history(directConv(2_000_000_001, 2_000_000_002)));
    const noGroup = await forbidden(stranger.client.history(groupConv(2_000_000_003)));
    expect(existing?.code).toBe(ErrorCode.FORBIDDEN);
    expect(missing).toEqual(existing);
    expect(noGroup).toEqual(existing);
    expect(await forbidden(stranger.client.markRead(conv, 1))).toEqual(existing);
    // Its own (empty) conversation with someone is readable.
    expect((await stranger.client.history(strangerConv)).messages).toEqual([]);
    stranger.client.close();
    await dropped;
    a.client.close();
    b.client.close();
  });

  it('R-MSG-4 R-HIST-4: group messages are stored from members only; only current members read them', async () => {
    const owner = await user('go');
    const member = await user('gm');
    const outsider = await user('gx');
    const g = await owner.client.request('groups.create', { name: `Durable ${owner.userId}` });
    await member.client.request('groups.join', { groupId: g.groupId });
    const conv = groupConv(g.groupId);
    expect(await errorCode(outsider.client.sendGroup(g.groupId, 'let me in'))).toBe(ErrorCode.FORBIDDEN);
    const ack = await owner.client.sendGroup(g.groupId, 'welcome');
    // Seq 1 is the member's join line (R-GRP-32).
    expect(ack).toMatchObject({ conv, seq: 2 });
    const pushed = await member.log.wait('chat.groupMessage', (m) => m.text === 'welcome');
    expect(pushed).toMatchObject({ conv, seq: 2, groupId: g.groupId, from: owner.userId });
    const page = await member.client.history(conv);
    expect(page.messages.map((m) => [m.seq, m.text, m.from])).toEqual([
      [1, '', member.userId],
      [2, 'welcome', owner.userId],
    ]);
    expect(page.messages[1]?.fromName).toBe(pushed.fromName);
    expect(await errorCode(outsider.client.history(conv))).toBe(ErrorCode.FORBIDDEN);
    expect((await member.client.sync()).conversations).toContainEqual(
      expect.objectContaining({ conv, lastSeq: 2, unread: 1 }),
    );
    await member.client.request('groups.leave', { groupId: g.groupId });
    expect(await errorCode(member.client.history(conv))).toBe(ErrorCode.FORBIDDEN);
    expect((await member.client.sync()).conversations.map((c) => c.conv)).not.toContain(conv);
    for (const u of [owner, member, outsider]) u.client.close();
  });

  it('R-HIST-5 R-SDK-4: read positions move forward only, clamp to the last message, and show in sync', async () => {
    const { a, b, conv } = await pair();
    for (let i = 1; i <= 5; i++) await a.client.send(b.userId, `r${i}`);
    expect(await b.client.markRead(conv, 3)).toEqual({ seq: 3 });
    expect((await b.client.sync()).conversations).toContainEqual(
      expect.objectContaining({ conv, lastSeq: 5, readSeq: 3, unread: 2 }),
    );
    expect(await b.client.markRead(conv, 1)).toEqual({ seq: 3 });
    expect(await b.client.markRead(conv, 999)).toEqual({ seq: 5 });
    expect((await b.client.sync()).conversations).toContainEqual(
      expect.objectContaining({ conv, readSeq: 5, unread: 0 }),
    );
    // b's only session sent it: no chat.read event comes back to the reader's own session.
    await b.client.request('account.getProfile', {});
    expect(b.log.of('chat.read')).toEqual([]);
    // A new login catches up only after the read position (messages read elsewhere are not news).
    await b.client.logout();
    await a.client.send(b.userId, 'r6');
    const again = await loginAgain(server, b);
    await again.log.until(() => again.log.of(conv).length === 1);
    expect(again.log.texts(conv)).toEqual(['r6']);
    again.client.close();
    a.client.close();
  });

  it('R-HIST-6: deleting an account removes its 1:1 history; its group messages stay from nobody', async () => {
    const { a, b, conv } = await pair();
    const g = await a.client.request('groups.create', { name: `Gone ${a.userId}` });
    await b.client.request('groups.join', { groupId: g.groupId });
    await b.client.send(a.userId, 'bye');
    await b.client.sendGroup(g.groupId, 'bye all');
    expect((await a.client.history(conv)).messages).toHaveLength(1);
    await b.client.deleteAccount(b.password);
    expect((await a.client.history(conv)).messages).toEqual([]);
    expect((await a.client.sync()).conversations.map((c) => c.conv)).not.toContain(conv);
    const group = await a.client.history(groupConv(g.groupId));
    const said = group.messages.filter((m) => m.event === undefined);
    expect(said.map((m) => [m.text, m.from, m.fromName])).toEqual([['bye all', null, undefined]]);
    a.client.close();
  });
});

import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { directConv, type FileInfo, groupConv } from '@imw/shared';
import { sql } from 'drizzle-orm';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ImServer } from '../../src';
import { ManualClock } from '../../src/core';
import type { Database } from '../../src/db';
import { FileService, FileTokens, FolderStorage } from '../../src/messaging';
import { DB_KINDS, testDatabase } from '../support/db';
import { startTestServer } from '../support/server';
import { befriend, errorCode, type TestUser, testUser } from '../support/users';

const EVENTS = ['chat.message', 'chat.groupMessage', 'chat.recalled', 'chat.reaction'] as const;
const MAX_BYTES = 200_000;
const QUOTA = 600_000;

/** A JPEG carrying GPS coordinates in its EXIF, made here with sharp's withExif. */
async function jpegWithGps(): Promise<Uint8Array<ArrayBuffer>> {
  const jpeg = await sharp({ create: { width: 64, height: 48, channels: 3, background: '#3a7' } })
    .jpeg()
    .withExif({
      IFD0: { Make: 'TestCam', Copyright: 'secret owner' },
      IFD3: {
        GPSLatitudeRef: 'N',
        GPSLatitude: '48/1 51/1 2400/100',
        GPSLongitudeRef: 'E',
        GPSLongitude: '2/1 17/1 4000/100',
      },
    })
    .toBuffer();
  return new Uint8Array(jpeg);
}

describe.each(DB_KINDS)('rich messages (%s)', (kind) => {
  let db: Database;
  let server: ImServer;
  let filesDir: string;
  const clock = new ManualClock(Date.now());
  const user = (prefix: string) => testUser(server, prefix, EVENTS);
  const pair = async () => {
    const a = await user('ra');
    const b = await user('rb');
    await befriend(a, b);
    return { a, b, conv: directConv(a.userId, b.userId) };
  };
  const token = async (u: TestUser) => (await u.client.request('files.token', {})).token;
  const upload = async (
    u: TestUser,
    conv: string,
    body: Uint8Array<ArrayBuffer>,
    name = 'x.bin',
    tok?: string,
  ) =>
    fetch(`${server.httpUrl}/files?conv=${encodeURIComponent(conv)}&name=${encodeURIComponent(name)}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${tok ?? (await token(u))}` },
      body,
    });
  const download = async (u: TestUser, fileId: string, thumb = false) =>
    fetch(`${server.httpUrl}/files/${fileId}?t=${await token(u)}${thumb ? '&thumb=1' : ''}`);
  const stored = () => readdirSync(filesDir);

  beforeAll(async () => {
    filesDir = mkdtempSync(join(tmpdir(), 'imw-files-'));
    db = await testDatabase(kind);
    server = await startTestServer(
      db,
      {
        RESUME_GRACE_MS: 0,
        CHAT_RATE_PER_SEC: 0,
        FILES_DIR: filesDir,
        FILE_MAX_BYTES: MAX_BYTES,
        FILE_QUOTA_BYTES_PER_DAY: QUOTA,
        RECALL_WINDOW_MS: 120_000,
      },
      clock,
    );
  });
  afterAll(async () => {
    await server?.close();
    await db?.close();
    rmSync(filesDir, { recursive: true, force: true });
  });

  it('R-FILE-1 R-FILE-2 R-FILE-3: a friend uploads over HTTP, sends it, the other downloads; strangers get nothing', async () => {
    const { a, b, conv } = await pair();
    const stranger = await user('rs');
    const res = await upload(a, conv, new TextEncoder().encode('hello file'), 'notes.txt');
    expect(res.status).toBe(201);
    const info = (await res.json()) as FileInfo;
    expect(info).toMatchObject({
      name: 'notes.txt',
      kind: 'file',
      mime: 'application/octet-stream',
      size: 10,
    });

    await a.client.request('chat.send', { to: b.userId, text: 'notes.txt', fileId: info.fileId });
    const got = await b.log.wait('chat.message', (m) => m.file?.fileId === info.fileId);
    expect(got.file).toEqual(info);
    const dl = await download(b, info.fileId);
    expect(dl.status).toBe(200);
    expect(await dl.text()).toBe('hello file');
    expect(dl.headers.get('content-disposition')).toMatch(/^attachment; filename="notes.txt"/);
    expect(dl.headers.get('x-content-type-options')).toBe('nosniff');
    const hist = await b.client.history(conv);
    expect(hist.messages.at(-1)?.file).toEqual(info);

    // A stranger: no upload into their conversation, no download, even with a valid token.
    expect((await upload(stranger, conv, new Uint8Array([1, 2, 3]))).status).toBe(403);
    expect((await download(stranger, info.fileId)).status).toBe(404);
    // Without a token, or with a forged one.
    expect((await fetch(`${server.httpUrl}/files/${info.fileId}`)).status).toBe(401);
    const forged = `${stranger.userId}.${Date.now() + 60_000}.${'A'.repeat(43)}`;
    expect((await upload(a, conv, new Uint8Array([1]), 'f', forged)).status).toBe(401);
    // The same file cannot go with a second message, nor with someone else's.
    expect(
      await errorCode(a.client.request('chat.send', { to: b.userId, text: 'again', fileId: info.fileId })),
    ).toBe('BAD_REQUEST');
    expect(
      await errorCode(b.client.request('chat.send', { to: a.userId, text: 'mine?', fileId: info.fileId })),
    ).toBe('BAD_REQUEST');
    for (const u of [a, b, stranger]) u.client.close();
  });

  it('R-FILE-3: a group file is for members only; a non-member can neither upload nor download', async () => {
    const owner = await user('rg');
    const member = await user('rm');
    const outsider = await user('ro');
    const g = await owner.client.request('groups.create', { name: `Files ${owner.userId}` });
    await member.client.request('groups.join', { groupId: g.groupId });
    const conv = groupConv(g.groupId);
    const res = await upload(owner, conv, new TextEncoder().encode('group bytes'), 'g.txt');
    expect(res.status).toBe(201);
    const info = (await res.json()) as FileInfo;
    await owner.client.request('chat.sendGroup', { groupId: g.groupId, text: 'g.txt', fileId: info.fileId });
    await member.log.wait('chat.groupMessage', (m) => m.file?.fileId === info.fileId);
    expect((await download(member, info.fileId)).status).toBe(200);
    expect((await upload(outsider, conv, new Uint8Array([1]))).status).toBe(403);
    expect((await download(outsider, info.fileId)).status).toBe(404);
    // One who leaves loses access.
    await member.client.request('groups.leave', { groupId: g.groupId });
    expect((await download(member, info.fileId)).status).toBe(404);
    for (const u of [owner, member, outsider]) u.client.close();
  });

  it('R-FILE-4 R-FILE-5 R-FILE-6: size cap, sniffed type, refused programs, daily quota', async () => {
    const { a, b, conv } = await pair();
    expect((await upload(a, conv, new Uint8Array(MAX_BYTES + 1))).status).toBe(413);
    expect((await upload(a, conv, new Uint8Array(0))).status).toBe(400);
    // HTML and SVG named as a PNG: the bytes say what they are; served as attachments.
    for (const [name, text] of [
      ['pretty.png', '<!doctype html><script>alert(1)</script>'],
      ['logo.svg', '<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'],
    ] as const) {
      const r = await upload(a, conv, new TextEncoder().encode(text), name);
      expect(r.status).toBe(201);
      const info = (await r.json()) as FileInfo;
      expect(info.kind).toBe('file');
      expect(info.mime).not.toMatch(/html|svg|png/);
      const dl = await download(b, info.fileId);
      expect(dl.headers.get('content-disposition')).toMatch(/^attachment;/);
      expect(dl.headers.get('content-type')).toBe('application/octet-stream');
      expect(dl.headers.get('x-content-type-options')).toBe('nosniff');
    }
    // An ELF program renamed to .txt is refused.
    const elf = new Uint8Array(64);
    elf.set([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0]);
    elf[16] = 2;
    elf[18] = 0x3e;
    expect((await upload(a, conv, elf, 'readme.txt')).status).toBe(415);
    // Bytes that start like a PNG but do not decode.
    const fake = new Uint8Array(200);
    fake.set([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52]);
    expect((await upload(a, conv, fake, 'broken.png')).status).toBe(422);
    // The quota: what this user already uploaded today counts; a refused upload did not.
    const big = new Uint8Array(Math.floor((QUOTA - 10_000) / 3)).fill(7);
    const statuses = [];
    for (let i = 0; i < 4; i++) statuses.push((await upload(a, conv, big, `big${i}.bin`)).status);
    expect(statuses).toEqual([201, 201, 201, 429]);
    // Another user's quota is their own; tomorrow (UTC) starts again.
    expect((await upload(b, conv, big)).status).toBe(201);
    clock.advance(86_400_000);
    expect((await upload(a, conv, big)).status).toBe(201);
    a.client.close();
    b.client.close();
  });

  it('R-FILE-7: an image comes back re-encoded without its EXIF (GPS), with a thumbnail', async () => {
    const { a, b, conv } = await pair();
    const original = await jpegWithGps();
    const before = await sharp(original).metadata();
    expect(before.exif?.length ?? 0).toBeGreaterThan(0); // the fixture does carry EXIF
    expect(Buffer.from(original).includes(Buffer.from('secret owner'))).toBe(true);
    const r = await upload(a, conv, original, 'IMG_0001.jpg');
    expect(r.status).toBe(201);
    const info = (await r.json()) as FileInfo;
    expect(info).toMatchObject({ kind: 'image', mime: 'image/jpeg', width: 64, height: 48, thumb: true });
    const dl = await download(b, info.fileId);
    expect(dl.headers.get('content-disposition')).toMatch(/^inline;/);
    expect(dl.headers.get('content-type')).toBe('image/jpeg');
    const bytes = Buffer.from(await dl.arrayBuffer());
    const after = await sharp(bytes).metadata();
    expect(after.exif).toBeUndefined();
    expect(bytes.includes(Buffer.from('secret owner'))).toBe(false);
    expect(bytes.includes(Buffer.from('TestCam'))).toBe(false);
    const thumb = await download(b, info.fileId, true);
    expect(thumb.headers.get('content-type')).toBe('image/webp');
    expect((await sharp(Buffer.from(await thumb.arrayBuffer())).metadata()).format).toBe('webp');
    a.client.close();
    b.client.close();
  });

  it('R-RPL-1 R-RPL-2: a reply carries the seq it answers, and history quotes it', async () => {
    const { a, b, conv } = await pair();
    const first = await a.client.send(b.userId, 'What time is the meeting?');
    await b.client.request('chat.send', { to: a.userId, text: 'At three.', replyTo: first.seq });
    const pushed = await a.log.wait('chat.message', (m) => m.text === 'At three.');
    expect(pushed.replyTo).toBe(first.seq);
    const hist = await a.client.history(conv);
    const reply = hist.messages.find((m) => m.text === 'At three.');
    expect(reply).toMatchObject({
      replyTo: first.seq,
      quote: {
        seq: first.seq,
        from: a.userId,
        text: 'What time is the meeting?',
        recalled: false,
        file: false,
      },
    });
    a.client.close();
    b.client.close();
  });

  it('R-REACT-1 R-REACT-2 R-REACT-3: reactions are stored, counted by who, pushed; non-members cannot react', async () => {
    const { a, b, conv } = await pair();
    const stranger = await user('rx');
    const m = await a.client.send(b.userId, 'react to me');
    await b.client.request('chat.react', { conv, seq: m.seq, emoji: '👍', on: true });
    clock.advance(1);
    await b.client.request('chat.react', { conv, seq: m.seq, emoji: '❤️', on: true });
    clock.advance(1);
    await a.client.request('chat.react', { conv, seq: m.seq, emoji: '👍', on: true });
    const seen = await a.log.wait('chat.reaction', (r) => r.emoji === '❤️');
    expect(seen).toEqual({ conv, seq: m.seq, userId: b.userId, emoji: '❤️', on: true });
    let hist = await b.client.history(conv);
    expect(hist.messages.find((x) => x.seq === m.seq)?.reactions).toEqual([
      { emoji: '👍', userIds: [b.userId, a.userId] },
      { emoji: '❤️', userIds: [b.userId] },
    ]);
    await b.client.request('chat.react', { conv, seq: m.seq, emoji: '👍', on: false });
    await a.log.wait('chat.reaction', (r) => r.emoji === '👍' && !r.on);
    hist = await a.client.history(conv);
    expect(hist.messages.find((x) => x.seq === m.seq)?.reactions).toEqual([
      { emoji: '❤️', userIds: [b.userId] },
      { emoji: '👍', userIds: [a.userId] },
    ]);
    expect(
      await errorCode(stranger.client.request('chat.react', { conv, seq: m.seq, emoji: '👍', on: true })),
    ).toBe('FORBIDDEN');
    expect(
      await errorCode(b.client.request('chat.react', { conv, seq: m.seq, emoji: 'lol', on: true })),
    ).toBe('BAD_REQUEST');
    expect(await errorCode(b.client.request('chat.react', { conv, seq: 999, emoji: '👍', on: true }))).toBe(
      'NOT_FOUND',
    );
    for (const u of [a, b, stranger]) u.client.close();
  });

  it('R-RCL-1 R-RCL-2 R-RCL-3: the sender recalls within the window; text and file are gone from the DB and the folder', async () => {
    const { a, b, conv } = await pair();
    const r = await upload(a, conv, await jpegWithGps(), 'pic.jpg');
    const info = (await r.json()) as FileInfo;
    expect(stored()).toContain(info.fileId);
    expect(stored()).toContain(`${info.fileId}.thumb`);
    const m = await a.client.request('chat.send', { to: b.userId, text: 'oops secret', fileId: info.fileId });
    await b.client.request('chat.react', { conv, seq: m.seq, emoji: '😮', on: true });
    // Only the sender.
    expect(await errorCode(b.client.request('chat.recall', { conv, seq: m.seq }))).toBe('FORBIDDEN');
    await a.client.request('chat.recall', { conv, seq: m.seq });
    expect(await b.log.wait('chat.recalled', (e) => e.seq === m.seq)).toEqual({
      conv,
      seq: m.seq,
      by: a.userId,
    });

    const rows = (await db.db.execute(
      sql`select text, file_id, recalled from messages where conv = ${conv} and seq = ${m.seq}`,
    )) as unknown;
    const row = (
      (Array.isArray(rows) ? rows : (rows as { rows: unknown[] }).rows) as Record<string, unknown>[]
    )[0];
    expect(row).toMatchObject({ text: '', file_id: null, recalled: true });
    const files = (await db.db.execute(sql`select id from files where id = ${info.fileId}`)) as unknown;
    expect((Array.isArray(files) ? files : (files as { rows: unknown[] }).rows).length).toBe(0);
    expect(stored().filter((f) => f.startsWith(info.fileId))).toEqual([]);
    expect((await download(b, info.fileId)).status).toBe(404);
    const hist = await b.client.history(conv);
    const h = hist.messages.find((x) => x.seq === m.seq);
    expect(h).toMatchObject({ recalled: true, text: '' });
    expect(h?.file).toBeUndefined();
    expect(h?.reactions).toBeUndefined();
    expect((await b.client.request('chat.search', { query: 'oops' })).hits).toEqual([]);

    // Past the window: refused, and the message stays.
    const late = await a.client.send(b.userId, 'too late to take back');
    clock.advance(120_001);
    expect(await errorCode(a.client.request('chat.recall', { conv, seq: late.seq }))).toBe('FORBIDDEN');
    a.client.close();
    b.client.close();
  });

  it('R-SRCH-1 R-SRCH-2 R-SRCH-3: search finds English and Chinese in own conversations only, newest first, paged', async () => {
    const { a, b, conv } = await pair();
    const c = await user('rc');
    const d = await user('rd');
    await befriend(c, d);
    const g = await a.client.request('groups.create', { name: `Search ${a.userId}` });
    const gconv = groupConv(g.groupId);
    await a.client.send(b.userId, 'The Quarterly report is ready');
    await a.client.send(b.userId, '我们明天下午开会讨论季度报告');
    await b.client.send(a.userId, 'thanks for the quarterly numbers');
    await a.client.sendGroup(g.groupId, '季度报告在群里');
    // Someone else's conversation with the same words is never found.
    await c.client.send(d.userId, 'quarterly report for c and d 季度报告');

    const en = await a.client.request('chat.search', { query: 'QUARTERLY' });
    expect(en.hits.map((h) => h.text)).toEqual([
      'thanks for the quarterly numbers',
      'The Quarterly report is ready',
    ]);
    expect(en.hits.every((h) => h.conv === conv)).toBe(true);
    const zh = await a.client.request('chat.search', { query: '季度报告' });
    expect(zh.hits.map((h) => h.text)).toEqual(['季度报告在群里', '我们明天下午开会讨论季度报告']);
    expect(zh.hits[0]?.conv).toBe(gconv);
    // Two characters (below a trigram) still match exactly.
    expect((await a.client.request('chat.search', { query: '开会' })).hits.map((h) => h.text)).toEqual([
      '我们明天下午开会讨论季度报告',
    ]);
    // One conversation, and pages.
    expect((await a.client.request('chat.search', { query: '报告', conv: gconv })).hits).toHaveLength(1);
    const p1 = await a.client.request('chat.search', { query: 'quarterly', limit: 1 });
    expect(p1.more).toBe(true);
    const p2 = await a.client.request('chat.search', {
      query: 'quarterly',
      limit: 1,
      beforeId: p1.hits[0]?.messageId,
    });
    expect(p2.hits.map((h) => h.text)).toEqual(['The Quarterly report is ready']);
    expect(p2.more).toBe(false);
    // LIKE wildcards are literal.
    expect((await a.client.request('chat.search', { query: '%' })).hits).toEqual([]);
    // Not a member: FORBIDDEN for their conversation, nothing of theirs in a general search.
    expect(await errorCode(c.client.request('chat.search', { query: 'quarterly', conv }))).toBe('FORBIDDEN');
    expect((await c.client.request('chat.search', { query: '季度' })).hits.map((h) => h.conv)).toEqual([
      directConv(c.userId, d.userId),
    ]);
    for (const u of [a, b, c, d]) u.client.close();
  });

  it('R-SRCH-4: people search finds friends and fellow members by name, never strangers', async () => {
    const a = await user('pa');
    const friend = await user('pf');
    const stranger = await user('pf');
    await befriend(a, friend);
    await friend.client.request('account.updateProfile', { displayName: '王小明 Wang' });
    await stranger.client.request('account.updateProfile', { displayName: '王小明 Wang' });
    for (const q of ['小明', 'wang']) {
      const r = await a.client.request('chat.searchPeople', { query: q });
      expect(r.people.map((p) => p.userId)).toEqual([friend.userId]);
      expect(r.people[0]?.friend).toBe(true);
    }
    for (const u of [a, friend, stranger]) u.client.close();
  });
});

describe('unreferenced files (pglite)', () => {
  it('R-FILE-8: an upload never sent, and a deleted account’s 1:1 files, are swept after the grace', async () => {
    const filesDir = mkdtempSync(join(tmpdir(), 'imw-files-'));
    const db = await testDatabase('pglite');
    const clock = new ManualClock(Date.now());
    const server = await startTestServer(db, { RESUME_GRACE_MS: 0, FILES_DIR: filesDir }, clock);
    try {
      const a = await testUser(server, 'sa', []);
      const b = await testUser(server, 'sb', []);
      await befriend(a, b);
      const conv = directConv(a.userId, b.userId);
      const up = async (name: string) => {
        const { token } = await a.client.request('files.token', {});
        const r = await fetch(`${server.httpUrl}/files?conv=${conv}&name=${name}`, {
          method: 'POST',
          headers: { authorization: `Bearer ${token}` },
          body: new TextEncoder().encode(name),
        });
        return ((await r.json()) as FileInfo).fileId;
      };
      const unsent = await up('unsent.txt');
      const sent = await up('sent.txt');
      await a.client.request('chat.send', { to: b.userId, text: 'sent.txt', fileId: sent });
      const sweeper = new FileService(
        db.db,
        new FolderStorage(filesDir),
        new FileTokens(new Uint8Array(32), 1000, () => clock.now()),
        { areFriends: async () => false, isMember: async () => false },
        { maxBytes: 1000, quotaBytesPerDay: 0, unreferencedGraceMs: 60_000 },
        () => clock.now(),
      );
      expect(await sweeper.sweepUnreferenced()).toBe(0); // within the grace
      clock.advance(60_001);
      expect(await sweeper.sweepUnreferenced()).toBe(1);
      expect(readdirSync(filesDir)).toEqual([sent]);
      // Deleting b's account deletes the 1:1 history; its file goes with the next sweep.
      await server.accounts.repo.delete(b.userId);
      expect(await sweeper.sweepUnreferenced()).toBe(1);
      expect(readdirSync(filesDir)).toEqual([]);
      expect(unsent).not.toBe(sent);
      a.client.close();
      b.client.close();
    } finally {
      await server.close();
      await db.close();
      rmSync(filesDir, { recursive: true, force: true });
    }
  });
});

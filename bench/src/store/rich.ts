/**
 * Rich messages (#16), without sockets: search latency over a stored history, and file upload and
 * download throughput through the real HTTP routes of a running server.
 *
 * 1. Search: MESSAGES messages (a third Chinese) over CONVS group conversations, stored through
 *    the store's append path; then SEARCHES `chat.search`-equivalent queries (English 3+ chars,
 *    Chinese 2-4 chars, and misses) for a user who is in every group, newest first, limit 20.
 *    Prints p50/p99 latency.
 * 2. Files: a server on port 0 (PGlite in memory, files in a temp folder); FILES uploads of a
 *    SIZE-byte file (octet stream: no re-encoding) and FILES downloads, CONCURRENCY at a time,
 *    then IMAGES uploads of a 1 MP JPEG (sniffed, re-encoded, thumbnail). Prints MB/s and files/s.
 *
 *   node --import tsx bench/src/store/rich.ts [--messages 100000] [--convs 50] [--searches 300]
 *     [--files 200] [--size 1048576] [--images 20] [--concurrency 8]
 *     [--no-analyze | --server-analyze]
 *
 * By default ANALYZE runs once after seeding (what PostgreSQL's autovacuum would do);
 * --no-analyze skips it (PGlite with no statistics); --server-analyze skips it too but wires the
 * store to the server's own PGlite Analyzer with the default PGLITE_ANALYZE_EVERY_MESSAGES, as
 * the server does, and searches once its last run has finished.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { groupConv } from '@imw/shared';
import sharp from 'sharp';
import { makeConfig, startServer } from '../../../server/src';
import { Analyzer, type Database, openDatabase, tables } from '../../../server/src/db';
import { FileTokens } from '../../../server/src/messaging';
import { MessageStore } from '../../../server/src/messaging/store';

const arg = (name: string, def: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? (process.argv[i + 1] ?? def) : def;
};
const MESSAGES = Number(arg('messages', '100000'));
const CONVS = Number(arg('convs', '50'));
const SEARCHES = Number(arg('searches', '300'));
const FILES = Number(arg('files', '200'));
const SIZE = Number(arg('size', String(1024 * 1024)));
const IMAGES = Number(arg('images', '20'));
const CONCURRENCY = Number(arg('concurrency', '8'));

const EN = ['quarterly report', 'lunch tomorrow', 'deploy the server', 'holiday photos', 'meeting notes'];
const ZH = ['季度报告', '明天吃午饭', '部署服务器', '假期照片', '会议纪要'];

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? 0;
};

async function seedUsers(db: Database, n: number) {
  const salt = new Uint8Array(16);
  const key = new Uint8Array(32);
  return db.db
    .insert(tables.users)
    .values(
      Array.from({ length: n }, (_, i) => ({
        username: `rich${i}`,
        displayName: `Rich ${i}`,
        scramSalt: salt,
        scramIterations: 4096,
        scramStoredKey: key,
        scramServerKey: key,
      })),
    )
    .returning({ id: tables.users.id });
}

const analyzeMs: number[] = [];
const timed = (run: () => Promise<void>) => async () => {
  const t = performance.now();
  await run();
  analyzeMs.push(performance.now() - t);
};

async function searchBench(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'imw-rich-'));
  const db = await openDatabase({ dataDir: dir });
  try {
    const users = await seedUsers(db, 8);
    const owner = users[0]!.id;
    const groups = await db.db
      .insert(tables.groups)
      .values(Array.from({ length: CONVS }, (_, i) => ({ name: `g${i}`, ownerId: owner })))
      .returning({ id: tables.groups.id });
    const convs = groups.map((g) => groupConv(g.id));
    const serverAnalyze = process.argv.includes('--server-analyze');
    const defaults = makeConfig({});
    const analyzer =
      serverAnalyze && db.analyze
        ? new Analyzer(
            timed(db.analyze),
            { intervalMs: 0, everyMessages: defaults.PGLITE_ANALYZE_EVERY_MESSAGES },
            (err) => console.error('analyze failed', err),
          )
        : null;
    const store = new MessageStore(
      db.db,
      Date.now,
      analyzer ? { onAppended: () => void analyzer.noteAppended() } : {},
    );
    const t0 = performance.now();
    let next = 0;
    const writer = async () => {
      for (let k = next++; k < MESSAGES; k = next++) {
        const zh = k % 3 === 0;
        const words = zh ? ZH : EN;
        await store.append({
          conv: convs[k % convs.length]!,
          senderId: users[k % users.length]!.id,
          text: `${zh ? '消息' : 'message'} ${k}: ${words[k % words.length]} ${words[(k * 7) % words.length]}`,
          atMs: Date.now(),
        });
      }
    };
    await Promise.all(Array.from({ length: 64 }, writer));
    const seedS = (performance.now() - t0) / 1000;
    console.log(`stored ${MESSAGES} messages in ${seedS.toFixed(1)} s (${Math.round(MESSAGES / seedS)}/s)`);
    // PostgreSQL's autovacuum analyzes a table that grew; PGlite runs no autovacuum, so without
    // this the planner has no statistics (--no-analyze measures that case).
    if (analyzer) {
      await analyzer.idle();
      console.log(
        `server analyzer: ${analyzer.runs} runs (every ${defaults.PGLITE_ANALYZE_EVERY_MESSAGES} messages), ${analyzeMs.map((x) => x.toFixed(0)).join(', ')} ms each`,
      );
    } else if (!process.argv.includes('--no-analyze'))
      await (db.db as unknown as { $client: { exec(q: string): Promise<unknown> } }).$client.exec('analyze');

    const groupIds = groups.map((g) => g.id);
    const queries = ['report', 'photos', 'deploy', 'notfound-xyz', '季度', '部署服务器', '会议', '没有的词'];
    const ms: Record<string, number[]> = { en: [], zh: [] };
    for (let i = 0; i < SEARCHES; i++) {
      const q = queries[i % queries.length]!;
      const s = performance.now();
      await store.search({ userId: owner, groupIds, query: q, limit: 20 });
      (/[a-z]/.test(q) ? ms.en! : ms.zh!).push(performance.now() - s);
    }
    for (const [lang, xs] of Object.entries(ms))
      console.log(
        `search ${lang}: ${xs.length} queries over ${MESSAGES} messages, p50 ${pct(xs, 50).toFixed(1)} ms, p99 ${pct(xs, 99).toFixed(1)} ms`,
      );
  } finally {
    await db.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function fileBench(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'imw-rich-files-'));
  const db = await openDatabase({ dataDir: null });
  const keys = `b1:${Buffer.alloc(32, 3).toString('base64')}`;
  const server = await startServer({
    config: makeConfig({
      HOST: '127.0.0.1',
      PORT: 0,
      TICKET_KEYS: keys,
      FILES_DIR: dir,
      FILE_QUOTA_BYTES_PER_DAY: 0,
      FILE_MAX_BYTES: Math.max(SIZE, 20 * 1024 * 1024),
      LOG_LEVEL: 'silent',
    }),
    database: db,
  });
  try {
    const [a, b] = await seedUsers(db, 2);
    await db.db.insert(tables.friendships).values([
      { userId: a!.id, friendId: b!.id },
      { userId: b!.id, friendId: a!.id },
    ]);
    const conv = `d:${Math.min(a!.id, b!.id)}:${Math.max(a!.id, b!.id)}`;
    const tokens = new FileTokens(Buffer.alloc(32, 3), 3_600_000, Date.now);
    const token = tokens.issue(a!.id).token;
    const body = new Uint8Array(SIZE).map((_, i) => (i * 31) & 0xff);
    const ids: string[] = [];
    const pool = async (n: number, fn: (i: number) => Promise<void>) => {
      let next = 0;
      await Promise.all(
        Array.from({ length: CONCURRENCY }, async () => {
          for (let i = next++; i < n; i = next++) await fn(i);
        }),
      );
    };
    const upload = async (bytes: Uint8Array<ArrayBuffer>, name: string) => {
      const r = await fetch(`${server.httpUrl}/files?conv=${conv}&name=${name}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}` },
        body: bytes,
      });
      if (r.status !== 201) throw new Error(`upload ${r.status}`);
      return ((await r.json()) as { fileId: string }).fileId;
    };
    let t = performance.now();
    await pool(FILES, async (i) => {
      ids.push(await upload(body, `f${i}.bin`));
    });
    let s = (performance.now() - t) / 1000;
    const mb = (FILES * SIZE) / 1024 / 1024;
    console.log(
      `upload: ${FILES} × ${SIZE} B in ${s.toFixed(2)} s = ${(mb / s).toFixed(1)} MB/s, ${(FILES / s).toFixed(0)} files/s (concurrency ${CONCURRENCY})`,
    );
    t = performance.now();
    await pool(FILES, async (i) => {
      const r = await fetch(`${server.httpUrl}/files/${ids[i]}?t=${token}`);
      const got = await r.arrayBuffer();
      if (r.status !== 200 || got.byteLength !== SIZE) throw new Error(`download ${r.status}`);
    });
    s = (performance.now() - t) / 1000;
    console.log(
      `download: ${FILES} × ${SIZE} B in ${s.toFixed(2)} s = ${(mb / s).toFixed(1)} MB/s, ${(FILES / s).toFixed(0)} files/s`,
    );
    const jpeg = new Uint8Array(
      await sharp({ create: { width: 1280, height: 800, channels: 3, background: '#468' } })
        .jpeg()
        .toBuffer(),
    );
    t = performance.now();
    await pool(IMAGES, async (i) => {
      await upload(jpeg, `img${i}.jpg`);
    });
    s = (performance.now() - t) / 1000;
    console.log(
      `image upload (1280×800 JPEG, re-encode + thumbnail): ${IMAGES} in ${s.toFixed(2)} s = ${(IMAGES / s).toFixed(1)} images/s`,
    );
  } finally {
    await server.close();
    await db.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (MESSAGES > 0) await searchBench();
if (FILES > 0) await fileBench();

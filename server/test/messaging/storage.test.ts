import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { directConv, type FileInfo } from '@imw/shared';
import S3rver from 's3rver';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db';
import { type FileStorage, FolderStorage, S3Storage } from '../../src/messaging';
import { testDatabase } from '../support/db';
import { startTestServer } from '../support/server';
import { befriend, testUser } from '../support/users';

/**
 * The FileStorage contract (#16), run against both backends: the folder, and S3Storage against a
 * real S3-compatible server (s3rver, an S3 API in Node over a temp folder) on port 0. Then one
 * upload → download → recall through the HTTP routes of a server configured for S3.
 */

const BUCKET = 'imw-files';
const KEY = 'AbCdEfGhIjKlMnOpQrSt_-12';

interface S3Fixture {
  endpoint: string;
  close(): Promise<void>;
}

async function startS3(): Promise<S3Fixture> {
  const dir = mkdtempSync(join(tmpdir(), 'imw-s3-'));
  const server = new S3rver({
    address: '127.0.0.1',
    port: 0,
    silent: true,
    directory: dir,
    configureBuckets: [{ name: BUCKET, configs: [] }],
  });
  const { port } = await server.run();
  return {
    endpoint: `http://127.0.0.1:${port}`,
    close: async () => {
      await server.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

// s3rver accepts any signature made with its fixed credentials.
const s3Options = (endpoint: string, prefix = '') => ({
  bucket: BUCKET,
  endpoint,
  region: 'us-east-1',
  accessKeyId: 'S3RVER',
  secretAccessKey: 'S3RVER',
  forcePathStyle: true,
  prefix,
});

let s3: S3Fixture;
const cleanup: Array<() => void> = [];

beforeAll(async () => {
  s3 = await startS3();
});
afterAll(async () => {
  for (const f of cleanup) f();
  await s3?.close();
});

const backends: Array<[string, () => FileStorage]> = [
  [
    'folder',
    () => {
      const dir = mkdtempSync(join(tmpdir(), 'imw-files-'));
      cleanup.push(() => rmSync(dir, { recursive: true, force: true }));
      return new FolderStorage(dir);
    },
  ],
  ['s3', () => new S3Storage(s3Options(s3.endpoint, 'test/'))],
];

describe.each(backends)('FileStorage contract (%s)', (_name, make) => {
  let storage: FileStorage;
  beforeAll(() => {
    storage = make();
  });

  it('put then get returns the same bytes, binary and empty ones included', async () => {
    const bytes = new Uint8Array(70_000).map((_, i) => (i * 31) & 0xff);
    await storage.put(KEY, bytes);
    const got = await storage.get(KEY);
    expect(got).toBeInstanceOf(Buffer);
    expect(got?.equals(Buffer.from(bytes))).toBe(true);

    await storage.put(`${KEY}.thumb`, new Uint8Array(0));
    expect((await storage.get(`${KEY}.thumb`))?.length).toBe(0);
  });

  it('put again replaces the bytes', async () => {
    await storage.put(KEY, new TextEncoder().encode('first'));
    await storage.put(KEY, new TextEncoder().encode('second'));
    expect((await storage.get(KEY))?.toString()).toBe('second');
  });

  it('a missing key reads as null', async () => {
    expect(await storage.get('NeverStoredKey_0000000000')).toBeNull();
  });

  it('delete removes the object; deleting a missing key is not an error', async () => {
    await storage.put(KEY, new TextEncoder().encode('bye'));
    await storage.delete(KEY);
    expect(await storage.get(KEY)).toBeNull();
    await expect(storage.delete(KEY)).resolves.toBeUndefined();
    await expect(storage.delete('NeverStoredKey_0000000000')).resolves.toBeUndefined();
  });

  it('refuses keys the server would never make (no paths, no client names)', async () => {
    for (const bad of ['../etc/passwd', 'short', 'a/b/cccccccccccccccccc', `${KEY}.png`])
      await expect(storage.put(bad, new Uint8Array([1]))).rejects.toThrow(RangeError);
    await expect(storage.get('../x')).rejects.toThrow(RangeError);
    await expect(storage.delete('../x')).rejects.toThrow(RangeError);
  });
});

describe('S3Storage specifics', () => {
  it('keys go under FILE_S3_PREFIX: another prefix does not see them', async () => {
    const a = new S3Storage(s3Options(s3.endpoint, 'one/'));
    const b = new S3Storage(s3Options(s3.endpoint, 'two/'));
    await a.put(KEY, new Uint8Array([7]));
    expect(await b.get(KEY)).toBeNull();
    expect([...((await a.get(KEY)) ?? [])]).toEqual([7]);
  });

  it('a missing bucket or a dead server is an error, not a missing file', async () => {
    const noBucket = new S3Storage({ ...s3Options(s3.endpoint), bucket: 'no-such-bucket' });
    await expect(noBucket.get(KEY)).rejects.toThrow();
    await expect(noBucket.put(KEY, new Uint8Array([1]))).rejects.toThrow();
  });

  it('access key and secret go together', () => {
    expect(() => new S3Storage({ ...s3Options(s3.endpoint), secretAccessKey: undefined })).toThrow(
      /both or neither/,
    );
  });
});

describe('files through the HTTP routes with FILE_S3_BUCKET', () => {
  let db: Database;

  beforeAll(async () => {
    db = await testDatabase('pglite');
  });
  afterAll(async () => {
    await db?.close();
  });

  it('R-FILE-1 R-FILE-2 R-RCL-3: upload lands in the bucket, the friend downloads it, a recall deletes the object', async () => {
    const filesDir = mkdtempSync(join(tmpdir(), 'imw-files-unused-'));
    cleanup.push(() => rmSync(filesDir, { recursive: true, force: true }));
    const server = await startTestServer(db, {
      RESUME_GRACE_MS: 0,
      CHAT_RATE_PER_SEC: 0,
      RECALL_WINDOW_MS: 120_000,
      // Set, but the bucket replaces it: the folder must stay empty.
      FILES_DIR: filesDir,
      FILE_S3_BUCKET: BUCKET,
      FILE_S3_ENDPOINT: s3.endpoint,
      FILE_S3_REGION: 'us-east-1',
      FILE_S3_ACCESS_KEY_ID: 'S3RVER',
      FILE_S3_SECRET_ACCESS_KEY: 'S3RVER',
      FILE_S3_FORCE_PATH_STYLE: true,
      FILE_S3_PREFIX: 'http/',
    });
    const bucket = new S3Storage(s3Options(s3.endpoint, 'http/'));
    const events = ['chat.message', 'chat.recalled'] as const;
    const a = await testUser(server, 'sa', events);
    const b = await testUser(server, 'sb', events);
    try {
      await befriend(a, b);
      const conv = directConv(a.userId, b.userId);
      const token = async (u: typeof a) => (await u.client.request('files.token', {})).token;
      const body = new TextEncoder().encode('bytes kept in a bucket');
      const up = await fetch(`${server.httpUrl}/files?conv=${encodeURIComponent(conv)}&name=report.txt`, {
        method: 'POST',
        headers: { authorization: `Bearer ${await token(a)}` },
        body,
      });
      expect(up.status).toBe(201);
      const info = (await up.json()) as FileInfo;
      expect((await bucket.get(info.fileId))?.toString()).toBe('bytes kept in a bucket');
      expect(readdirSync(filesDir)).toEqual([]);

      const m = await a.client.request('chat.send', {
        to: b.userId,
        text: 'report.txt',
        fileId: info.fileId,
      });
      await b.log.wait('chat.message', (e) => e.file?.fileId === info.fileId);
      const dl = await fetch(`${server.httpUrl}/files/${info.fileId}?t=${await token(b)}`);
      expect(dl.status).toBe(200);
      expect(await dl.text()).toBe('bytes kept in a bucket');

      await a.client.request('chat.recall', { conv, seq: m.seq });
      await b.log.wait('chat.recalled', (e) => e.seq === m.seq);
      expect(await bucket.get(info.fileId)).toBeNull();
      expect((await fetch(`${server.httpUrl}/files/${info.fileId}?t=${await token(b)}`)).status).toBe(404);
    } finally {
      a.client.close();
      b.client.close();
      await server.close();
    }
  });
});

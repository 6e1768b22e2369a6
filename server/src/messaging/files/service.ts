import { randomBytes } from 'node:crypto';
import { type FileInfo, parseConv } from '@imw/shared';
import { sql } from 'drizzle-orm';
import type { HttpRequest, HttpResponse } from '../../core';
import { json } from '../../core';
import type { Db } from '../../db';
import { param, rows } from '../store';
import { processUpload } from './process';
import type { FileStorage } from './storage';
import type { FileTokens } from './tokens';

/** Who may put a file into a conversation and read one back (accounts' friends and groups). */
export interface FileRelations {
  areFriends(a: number, b: number): Promise<boolean>;
  isMember(groupId: number, userId: number): Promise<boolean>;
}

export interface FileLimits {
  /** FILE_MAX_BYTES (R-FILE-4). */
  maxBytes: number;
  /** FILE_QUOTA_BYTES_PER_DAY (R-FILE-6); 0: none. */
  quotaBytesPerDay: number;
  /** FILE_UNREFERENCED_GRACE_MS (R-FILE-8). */
  unreferencedGraceMs: number;
}

interface FileRow {
  id: string;
  owner_id: number | null;
  conv: string;
  name: string;
  mime: string;
  size: number | string;
  kind: 'image' | 'file';
  width: number | null;
  height: number | null;
  thumb: boolean;
}

export const fileInfoOf = (r: FileRow): FileInfo => ({
  fileId: r.id,
  name: r.name,
  mime: r.mime,
  size: Number(r.size),
  kind: r.kind,
  ...(r.width !== null ? { width: r.width } : {}),
  ...(r.height !== null ? { height: r.height } : {}),
  thumb: r.thumb,
});

/** R-FILE-3: the same answer for a file that does not exist and one the user may not read. */
const NOT_FOUND: HttpResponse = json(404, { error: 'no such file' });

const newFileId = () => randomBytes(16).toString('base64url');

/** A display name that is safe anywhere: no path, no control characters, bounded. */
export function cleanName(raw: string | null): string {
  const base = (raw ?? '').split(/[/\\]/).pop() ?? '';
  // Control characters (C0 and DEL) go: they have no place in a file name or a header.
  const clean = [...base]
    .filter((ch) => {
      const c = ch.codePointAt(0) ?? 0;
      return c >= 0x20 && c !== 0x7f;
    })
    .join('')
    .trim()
    .slice(0, 255);
  return clean || 'file';
}

/** RFC 6266: an ASCII fallback and the UTF-8 name. */
function disposition(kind: 'inline' | 'attachment', name: string): string {
  const ascii = name.replace(/[^\x20-\x7e]|["\\]/g, '_');
  return `${kind}; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(name)}`;
}

function bearer(req: HttpRequest): string | undefined {
  const h = req.headers.authorization;
  if (h?.startsWith('Bearer ')) return h.slice(7).trim();
  return new URLSearchParams(req.query).get('t') ?? undefined;
}

/**
 * Files of rich messages (#16): the HTTP upload and download (authorised by `files.token`,
 * R-FILE-1), the limits (R-FILE-4..6), image re-encoding (R-FILE-7), attaching a file to a
 * message (R-FILE-2), and deleting files: on recall (R-RCL-1) and once unreferenced (R-FILE-8).
 */
export class FileService {
  constructor(
    private readonly db: Db,
    readonly storage: FileStorage,
    private readonly tokens: FileTokens,
    private readonly relations: FileRelations,
    private readonly limits: FileLimits,
    private readonly now: () => number,
  ) {}

  token(userId: number): { token: string; expiresAtMs: number; maxBytes: number } {
    return { ...this.tokens.issue(userId), maxBytes: this.limits.maxBytes };
  }

  /** Upload: a member (and, 1:1, a friend) of the conversation; 1:1 ids name both users. */
  private async mayUpload(userId: number, conv: string): Promise<boolean> {
    const p = parseConv(conv);
    if (p?.kind === 'direct') {
      if (p.lo !== userId && p.hi !== userId) return false;
      return this.relations.areFriends(p.lo, p.hi);
    }
    return p?.kind === 'group' && this.relations.isMember(p.groupId, userId);
  }

  /** Download: whoever may read the conversation's history (R-HIST-4). */
  private async mayRead(userId: number, conv: string): Promise<boolean> {
    const p = parseConv(conv);
    if (p?.kind === 'direct') return p.lo === userId || p.hi === userId;
    return p?.kind === 'group' && this.relations.isMember(p.groupId, userId);
  }

  /** `POST /files?conv=…&name=…` with the token as a bearer header; the body is the file. */
  async upload(req: HttpRequest): Promise<HttpResponse> {
    const userId = this.tokens.verify(bearer(req));
    if (userId === null) return json(401, { error: 'missing, bad or expired file token' });
    const q = new URLSearchParams(req.query);
    const conv = q.get('conv') ?? '';
    if (!(await this.mayUpload(userId, conv))) return json(403, { error: 'not a conversation of yours' });
    const size = req.body.byteLength;
    if (size === 0) return json(400, { error: 'empty file' });
    if (size > this.limits.maxBytes)
      return json(413, { error: 'file too large', maxBytes: this.limits.maxBytes });
    if (!(await this.reserveQuota(userId, size)))
      return json(429, {
        error: 'daily upload quota used up',
        quotaBytesPerDay: this.limits.quotaBytesPerDay,
      });
    const processed = await processUpload(req.body);
    if (!processed.ok) {
      await this.reserveQuota(userId, -size);
      return processed.reason === 'type'
        ? json(415, { error: 'this type of file is not accepted' })
        : json(422, { error: 'not a readable image' });
    }
    const id = newFileId();
    await this.storage.put(id, processed.bytes);
    if (processed.thumb) await this.storage.put(`${id}.thumb`, processed.thumb);
    const [row] = await rows<FileRow>(
      this.db,
      sql`
insert into files (id, owner_id, conv, name, mime, size, kind, width, height, thumb, created_at)
values (${id}, ${userId}, ${conv}, ${cleanName(q.get('name'))}, ${processed.mime},
  ${processed.bytes.byteLength}, ${processed.kind}, ${processed.width ?? null}, ${processed.height ?? null},
  ${processed.thumb !== undefined}, to_timestamp(${this.now()}::bigint / 1000.0))
returning id, owner_id, conv, name, mime, size, kind, width, height, thumb`,
    );
    return json(201, fileInfoOf(row as FileRow));
  }

  /**
   * Adds `bytes` to today's (UTC) usage unless that passes the quota, in one statement so two
   * uploads at once cannot both squeeze under it. Negative: gives bytes back.
   */
  private async reserveQuota(userId: number, bytes: number): Promise<boolean> {
    const quota = this.limits.quotaBytesPerDay;
    if (quota === 0) return true;
    if (bytes > quota) return false;
    const day = new Date(this.now()).toISOString().slice(0, 10);
    const got = await rows<{ bytes: string }>(
      this.db,
      sql`
insert into upload_usage (user_id, day, bytes) values (${userId}, ${day}, greatest(${bytes}::bigint, 0))
on conflict (user_id, day) do update set bytes = greatest(upload_usage.bytes + ${bytes}::bigint, 0)
  where upload_usage.bytes + ${bytes}::bigint <= ${quota}::bigint
returning bytes`,
    );
    return got.length === 1;
  }

  /** `GET /files/<id>[?thumb=1]` with the token as `t` (an <img> cannot send a header) or a bearer header. */
  async download(req: HttpRequest): Promise<HttpResponse> {
    const userId = this.tokens.verify(bearer(req));
    if (userId === null) return json(401, { error: 'missing, bad or expired file token' });
    const id = req.path.slice('/files/'.length);
    if (!/^[A-Za-z0-9_-]{16,64}$/.test(id)) return NOT_FOUND;
    const [row] = await rows<FileRow>(
      this.db,
      sql`select id, owner_id, conv, name, mime, size, kind, width, height, thumb from files where id = ${id}`,
    );
    if (!row || !(await this.mayRead(userId, row.conv))) return NOT_FOUND;
    const thumb = new URLSearchParams(req.query).get('thumb') === '1' && row.thumb;
    const bytes = await this.storage.get(thumb ? `${id}.thumb` : id);
    if (!bytes) return NOT_FOUND;
    return {
      status: 200,
      headers: {
        'content-type': thumb ? 'image/webp' : row.mime,
        // R-FILE-7: only the re-encoded image types render in the page; everything else
        // (SVG, HTML, text, anything unknown) downloads, and nosniff keeps the browser from
        // second-guessing the type (X-Content-Type-Options: nosniff is on every response).
        'content-disposition': disposition(row.kind === 'image' ? 'inline' : 'attachment', row.name),
        'cache-control': 'private, max-age=3600',
        'content-security-policy': "default-src 'none'; sandbox",
      },
      body: bytes,
    };
  }

  /**
   * R-FILE-2: the file `userId` uploaded to `conv`, unsent, for the send with `claimKey` (its
   * clientId): set once, so one file goes with one message, and a resend of that send finds it
   * again. Null when it is not such a file.
   */
  async claim(fileId: string, userId: number, conv: string, claimKey: string): Promise<FileInfo | null> {
    const [row] = await rows<FileRow>(
      this.db,
      sql`
update files set claim = ${claimKey}
where id = ${fileId} and owner_id = ${userId} and conv = ${conv} and (claim is null or claim = ${claimKey})
returning id, owner_id, conv, name, mime, size, kind, width, height, thumb`,
    );
    return row ? fileInfoOf(row) : null;
  }

  /** Deletes files' rows and bytes (recall: R-RCL-1). */
  async remove(fileIds: readonly string[]): Promise<void> {
    if (fileIds.length === 0) return;
    await rows(this.db, sql`delete from files where id = any(${param(fileIds)}::text[])`);
    await this.removeBytes(fileIds);
  }

  private async removeBytes(fileIds: readonly string[]): Promise<void> {
    for (const id of fileIds) {
      await this.storage.delete(id);
      await this.storage.delete(`${id}.thumb`);
    }
  }

  /**
   * R-FILE-8: files no message references, older than the grace (an upload never sent, the files
   * of a deleted account's 1:1 history or of messages removed by retention). Returns how many.
   */
  async sweepUnreferenced(): Promise<number> {
    const cutoffMs = this.now() - this.limits.unreferencedGraceMs;
    const gone = await rows<{ id: string }>(
      this.db,
      sql`
delete from files f
where f.created_at <= to_timestamp(${cutoffMs}::bigint / 1000.0)
  and not exists (select 1 from messages m where m.file_id = f.id)
returning f.id`,
    );
    await this.removeBytes(gone.map((g) => g.id));
    return gone.length;
  }
}

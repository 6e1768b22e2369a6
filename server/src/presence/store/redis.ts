import type { Redis } from 'ioredis';
import { LuaScript } from '../../cluster';
import { assertPatch, assertRecord, assertUserId, isMode, isStatus } from './record';
import { PUT, REMOVE, SET_STATUS, UPDATE } from './redis-scripts';
import {
  oldestFirst,
  type PresencePatch,
  type PresenceRecord,
  type PresenceStatus,
  type PresenceStore,
} from './types';

const putScript = new LuaScript(PUT);
const updateScript = new LuaScript(UPDATE);
const setStatusScript = new LuaScript(SET_STATUS);
const removeScript = new LuaScript(REMOVE);

export interface RedisPresenceStoreOptions {
  /** Borrowed, not owned: close() leaves it open for whoever else uses it. */
  client: Redis;
  /** Namespaces the keys, so several deployments (or test runs) can share one Redis. */
  keyPrefix?: string;
}

/** The online table shared by every node. Key layout and atomicity: see redis-scripts.ts. */
export class RedisPresenceStore implements PresenceStore {
  private readonly client: Redis;
  private readonly userPrefix: string;
  private readonly nodePrefix: string;
  private closed = false;

  constructor(opts: RedisPresenceStoreOptions) {
    this.client = opts.client;
    const prefix = opts.keyPrefix ?? '';
    this.userPrefix = `${prefix}prs:u:`;
    this.nodePrefix = `${prefix}prs:n:`;
  }

  async put(rec: PresenceRecord): Promise<PresenceRecord[]> {
    this.assertOpen();
    assertRecord(rec);
    const all = await putScript.run(
      this.client,
      [this.userKey(rec.userId)],
      [this.nodePrefix, rec.userId, rec.sessionId, rec.nodeId, encode(rec)],
    );
    return parseHash(rec.userId, all).filter((r) => r.sessionId !== rec.sessionId);
  }

  async get(userId: number): Promise<PresenceRecord[]> {
    this.assertOpen();
    assertUserId(userId);
    return parseHash(userId, await this.client.hgetall(this.userKey(userId)));
  }

  async getMany(userIds: readonly number[]): Promise<Map<number, PresenceRecord[]>> {
    this.assertOpen();
    const ids = [...new Set(userIds)];
    const found = new Map<number, PresenceRecord[]>();
    if (ids.length === 0) return found;
    const pipeline = this.client.pipeline();
    for (const userId of ids) {
      assertUserId(userId);
      pipeline.hgetall(this.userKey(userId));
    }
    const results = (await pipeline.exec()) ?? [];
    results.forEach(([err, hash], i) => {
      if (err) throw err;
      const userId = ids[i]!;
      const recs = parseHash(userId, hash);
      if (recs.length > 0) found.set(userId, recs);
    });
    return found;
  }

  async update(userId: number, sessionId: string, patch: PresencePatch): Promise<boolean> {
    this.assertOpen();
    assertUserId(userId);
    assertPatch(patch);
    const set: string[] = [];
    const del: string[] = [];
    if (patch.status !== undefined) set.push('st', patch.status);
    if (patch.mode !== undefined) set.push('m', patch.mode);
    if (patch.nodeId !== undefined) set.push('n', patch.nodeId);
    if (patch.sceneId === null) del.push('sc');
    else if (patch.sceneId !== undefined) set.push('sc', patch.sceneId);
    const applied = await updateScript.run(
      this.client,
      [this.userKey(userId)],
      [this.nodePrefix, userId, sessionId, set.length / 2, ...set, ...del],
    );
    return applied === 1;
  }

  async setStatus(userId: number, status: PresenceStatus): Promise<number> {
    this.assertOpen();
    assertUserId(userId);
    assertPatch({ status });
    return Number(await setStatusScript.run(this.client, [this.userKey(userId)], [status]));
  }

  async remove(userId: number, sessionId: string): Promise<boolean> {
    this.assertOpen();
    assertUserId(userId);
    const removed = await removeScript.run(
      this.client,
      [this.userKey(userId)],
      [this.nodePrefix, userId, sessionId],
    );
    return removed === 1;
  }

  async listByNode(nodeId: string): Promise<PresenceRecord[]> {
    this.assertOpen();
    const members = await this.client.smembers(this.nodePrefix + nodeId);
    if (members.length === 0) return [];
    const pipeline = this.client.pipeline();
    const keys = members.map((m) => {
      const at = m.indexOf(':');
      const key = { userId: Number(m.slice(0, at)), sessionId: m.slice(at + 1) };
      pipeline.hget(this.userKey(key.userId), key.sessionId);
      return key;
    });
    const results = (await pipeline.exec()) ?? [];
    const out: PresenceRecord[] = [];
    results.forEach(([err, json], i) => {
      if (err) throw err;
      const { userId, sessionId } = keys[i]!;
      if (typeof json === 'string') out.push(parseRecord(userId, sessionId, json));
    });
    // The scripts keep the index exact, so this filter only matters if someone edits keys by hand.
    return out.filter((rec) => rec.nodeId === nodeId);
  }

  /** SCAN over the node-index sets (Redis drops a set once it is empty), a batch at a time. */
  async nodesWithSessions(): Promise<string[]> {
    this.assertOpen();
    const ids = new Set<string>();
    let cursor = '0';
    do {
      const [next, keys] = await this.client.scan(cursor, 'MATCH', `${this.nodePrefix}*`, 'COUNT', 500);
      for (const k of keys) ids.add(k.slice(this.nodePrefix.length));
      cursor = next;
    } while (cursor !== '0');
    return [...ids];
  }

  async countByNode(nodeId: string): Promise<number> {
    this.assertOpen();
    return await this.client.scard(this.nodePrefix + nodeId);
  }

  async close(): Promise<void> {
    this.closed = true;
  }

  private userKey(userId: number): string {
    return this.userPrefix + String(userId);
  }

  private assertOpen(): void {
    if (this.closed) throw new Error('presence store is closed');
  }
}

/** One session's fields as the scripts store them (see redis-scripts.ts). */
function encode(rec: PresenceRecord): string {
  return JSON.stringify({
    n: rec.nodeId,
    st: rec.status,
    m: rec.mode,
    ...(rec.sceneId === null ? {} : { sc: rec.sceneId }),
    l: String(rec.loginAtMs),
    d: rec.device,
  });
}

/** HGETALL's answer (a flat list from a script, an object from ioredis) as records, oldest first. */
function parseHash(userId: number, hash: unknown): PresenceRecord[] {
  const out: PresenceRecord[] = [];
  if (Array.isArray(hash)) {
    for (let i = 0; i + 1 < hash.length; i += 2) out.push(parseRecord(userId, String(hash[i]), hash[i + 1]));
  } else if (hash && typeof hash === 'object') {
    for (const [sid, json] of Object.entries(hash)) out.push(parseRecord(userId, sid, json));
  } else {
    throw new TypeError(`presence record ${userId}: expected a hash`);
  }
  return out.sort(oldestFirst);
}

/**
 * A record not written by our scripts is reported loudly rather than shown to users as some
 * made-up status.
 */
function parseRecord(userId: number, sessionId: string, json: unknown): PresenceRecord {
  let f: Record<string, unknown> = {};
  try {
    f = typeof json === 'string' ? (JSON.parse(json) as Record<string, unknown>) : {};
  } catch {
    // reported below
  }
  const loginAtMs = typeof f.l === 'string' ? Number(f.l) : Number.NaN;
  const scene = f.sc ?? null;
  if (
    typeof f.n !== 'string' ||
    !isStatus(f.st) ||
    !isMode(f.m) ||
    (scene !== null && typeof scene !== 'string') ||
    typeof f.d !== 'string' ||
    !Number.isFinite(loginAtMs)
  ) {
    throw new TypeError(`presence record ${userId}/${sessionId} is malformed: ${String(json)}`);
  }
  return {
    userId,
    sessionId,
    nodeId: f.n,
    status: f.st,
    mode: f.m,
    sceneId: scene,
    loginAtMs,
    device: f.d,
  };
}

import type { Redis } from 'ioredis';
import { LuaScript } from '../../cluster';
import { assertPatch, assertRecord, assertUserId, isMode, isStatus } from './record';
import { FIELDS, PUT, REMOVE, UPDATE } from './redis-scripts';
import type { PresencePatch, PresenceRecord, PresenceStore } from './types';

const putScript = new LuaScript(PUT);
const updateScript = new LuaScript(UPDATE);
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

  async put(rec: PresenceRecord): Promise<PresenceRecord | undefined> {
    this.assertOpen();
    assertRecord(rec);
    const previous = await putScript.run(
      this.client,
      [this.userKey(rec.userId)],
      [
        this.nodePrefix,
        rec.userId,
        rec.sessionId,
        rec.nodeId,
        rec.status,
        rec.mode,
        String(rec.loginAtMs),
        rec.sceneId === null ? '0' : '1',
        rec.sceneId ?? '',
      ],
    );
    return previous === null ? undefined : parseFields(rec.userId, previous);
  }

  async get(userId: number): Promise<PresenceRecord | undefined> {
    this.assertOpen();
    assertUserId(userId);
    return parseFields(userId, await this.client.hmget(this.userKey(userId), ...FIELDS));
  }

  async getMany(userIds: readonly number[]): Promise<Map<number, PresenceRecord>> {
    this.assertOpen();
    return await this.fetch([...new Set(userIds)]);
  }

  async update(userId: number, sessionId: string, patch: PresencePatch): Promise<boolean> {
    this.assertOpen();
    assertUserId(userId);
    assertPatch(patch);
    const set: string[] = [];
    const del: string[] = [];
    if (patch.status !== undefined) set.push('st', patch.status);
    if (patch.mode !== undefined) set.push('mode', patch.mode);
    if (patch.nodeId !== undefined) set.push('node', patch.nodeId);
    if (patch.sceneId === null) del.push('scene');
    else if (patch.sceneId !== undefined) set.push('scene', patch.sceneId);
    const applied = await updateScript.run(
      this.client,
      [this.userKey(userId)],
      [this.nodePrefix, userId, sessionId, set.length / 2, ...set, ...del],
    );
    return applied === 1;
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
    const records = await this.fetch(members.map(Number));
    // The scripts keep the index exact, so this filter only matters if someone edits keys by hand.
    return [...records.values()].filter((rec) => rec.nodeId === nodeId);
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

  /** One round trip for any number of users: a pipeline of HMGETs. */
  private async fetch(userIds: readonly number[]): Promise<Map<number, PresenceRecord>> {
    const found = new Map<number, PresenceRecord>();
    if (userIds.length === 0) return found;
    const pipeline = this.client.pipeline();
    for (const userId of userIds) {
      assertUserId(userId);
      pipeline.hmget(this.userKey(userId), ...FIELDS);
    }
    const results = (await pipeline.exec()) ?? [];
    results.forEach(([err, fields], i) => {
      if (err) throw err;
      const userId = userIds[i]!;
      const rec = parseFields(userId, fields);
      if (rec) found.set(userId, rec);
    });
    return found;
  }

  private userKey(userId: number): string {
    return this.userPrefix + String(userId);
  }

  private assertOpen(): void {
    if (this.closed) throw new Error('presence store is closed');
  }
}

/**
 * Turns HMGET's answer (FIELDS order) into a record. No session id means no record; a record
 * with a session id but bad fields was not written by our scripts, and is reported loudly
 * rather than shown to users as some made-up status.
 */
function parseFields(userId: number, fields: unknown): PresenceRecord | undefined {
  if (!Array.isArray(fields)) throw new TypeError(`presence record ${userId}: expected a field list`);
  const [sid, node, st, mode, scene, login] = fields as unknown[];
  if (sid === null || sid === undefined) return undefined;
  const loginAtMs = typeof login === 'string' ? Number(login) : Number.NaN;
  if (
    typeof sid !== 'string' ||
    typeof node !== 'string' ||
    !isStatus(st) ||
    !isMode(mode) ||
    (scene !== null && typeof scene !== 'string') ||
    !Number.isFinite(loginAtMs)
  ) {
    throw new TypeError(`presence record ${userId} is malformed: ${JSON.stringify(fields)}`);
  }
  return { userId, sessionId: sid, nodeId: node, status: st, mode, sceneId: scene, loginAtMs };
}

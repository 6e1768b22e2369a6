import { assertPatch, assertRecord, assertUserId } from './record';
import type { PresencePatch } from './types';
import { oldestFirst, type PresenceRecord, type PresenceStatus, type PresenceStore } from './types';

/**
 * The single-node online table: each user's sessions by id, and an index by node. Records are
 * copied in and out so that, as with Redis, a caller holding a returned record cannot change the
 * table by editing it.
 */
export class MemoryPresenceStore implements PresenceStore {
  private readonly byUser = new Map<number, Map<string, PresenceRecord>>();
  private readonly byNode = new Map<string, Set<PresenceRecord>>();
  private closed = false;

  async put(rec: PresenceRecord): Promise<PresenceRecord[]> {
    this.assertOpen();
    assertRecord(rec);
    let sessions = this.byUser.get(rec.userId);
    if (!sessions) {
      sessions = new Map();
      this.byUser.set(rec.userId, sessions);
    }
    const previous = sessions.get(rec.sessionId);
    if (previous) this.unindex(previous);
    const stored = { ...rec };
    sessions.set(rec.sessionId, stored);
    this.index(stored);
    return copies([...sessions.values()].filter((r) => r !== stored));
  }

  async get(userId: number): Promise<PresenceRecord[]> {
    this.assertOpen();
    return copies([...(this.byUser.get(userId)?.values() ?? [])]);
  }

  async getMany(userIds: readonly number[]): Promise<Map<number, PresenceRecord[]>> {
    this.assertOpen();
    const found = new Map<number, PresenceRecord[]>();
    for (const userId of userIds) {
      const sessions = this.byUser.get(userId);
      if (sessions) found.set(userId, copies([...sessions.values()]));
    }
    return found;
  }

  async update(userId: number, sessionId: string, patch: PresencePatch): Promise<boolean> {
    this.assertOpen();
    assertUserId(userId);
    assertPatch(patch);
    const rec = this.byUser.get(userId)?.get(sessionId);
    if (!rec) return false;
    if (patch.nodeId !== undefined && patch.nodeId !== rec.nodeId) {
      this.unindex(rec);
      rec.nodeId = patch.nodeId;
      this.index(rec);
    }
    if (patch.status !== undefined) rec.status = patch.status;
    if (patch.mode !== undefined) rec.mode = patch.mode;
    if (patch.sceneId !== undefined) rec.sceneId = patch.sceneId;
    return true;
  }

  async setStatus(userId: number, status: PresenceStatus): Promise<number> {
    this.assertOpen();
    assertUserId(userId);
    assertPatch({ status });
    const sessions = this.byUser.get(userId);
    for (const rec of sessions?.values() ?? []) rec.status = status;
    return sessions?.size ?? 0;
  }

  async remove(userId: number, sessionId: string): Promise<boolean> {
    this.assertOpen();
    const sessions = this.byUser.get(userId);
    const rec = sessions?.get(sessionId);
    if (!sessions || !rec) return false;
    sessions.delete(sessionId);
    if (sessions.size === 0) this.byUser.delete(userId);
    this.unindex(rec);
    return true;
  }

  async nodesWithSessions(): Promise<string[]> {
    this.assertOpen();
    return [...this.byNode.keys()];
  }

  async listByNode(nodeId: string): Promise<PresenceRecord[]> {
    this.assertOpen();
    return copies([...(this.byNode.get(nodeId) ?? [])]);
  }

  async countByNode(nodeId: string): Promise<number> {
    this.assertOpen();
    return this.byNode.get(nodeId)?.size ?? 0;
  }

  async close(): Promise<void> {
    this.closed = true;
  }

  private index(rec: PresenceRecord): void {
    let recs = this.byNode.get(rec.nodeId);
    if (!recs) {
      recs = new Set();
      this.byNode.set(rec.nodeId, recs);
    }
    recs.add(rec);
  }

  private unindex(rec: PresenceRecord): void {
    const recs = this.byNode.get(rec.nodeId);
    if (!recs) return;
    recs.delete(rec);
    if (recs.size === 0) this.byNode.delete(rec.nodeId);
  }

  private assertOpen(): void {
    if (this.closed) throw new Error('presence store is closed');
  }
}

function copies(recs: PresenceRecord[]): PresenceRecord[] {
  return recs.map((r) => ({ ...r })).sort(oldestFirst);
}

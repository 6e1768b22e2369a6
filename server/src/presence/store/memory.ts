import { assertPatch, assertRecord, assertUserId } from './record';
import type { PresencePatch, PresenceRecord, PresenceStore } from './types';

/**
 * The single-node online table. Records are copied in and out so that, as with Redis, a
 * caller holding a returned record cannot change the table by editing it.
 */
export class MemoryPresenceStore implements PresenceStore {
  private readonly byUser = new Map<number, PresenceRecord>();
  private readonly byNode = new Map<string, Set<number>>();
  private closed = false;

  async put(rec: PresenceRecord): Promise<PresenceRecord | undefined> {
    this.assertOpen();
    assertRecord(rec);
    const previous = this.byUser.get(rec.userId);
    if (previous) this.unindex(previous);
    const stored = { ...rec };
    this.byUser.set(rec.userId, stored);
    this.index(stored);
    // The previous record left the table, so handing out the object itself is safe.
    return previous;
  }

  async get(userId: number): Promise<PresenceRecord | undefined> {
    this.assertOpen();
    const rec = this.byUser.get(userId);
    return rec && { ...rec };
  }

  async getMany(userIds: readonly number[]): Promise<Map<number, PresenceRecord>> {
    this.assertOpen();
    const found = new Map<number, PresenceRecord>();
    for (const userId of userIds) {
      const rec = this.byUser.get(userId);
      if (rec) found.set(userId, { ...rec });
    }
    return found;
  }

  async update(userId: number, sessionId: string, patch: PresencePatch): Promise<boolean> {
    this.assertOpen();
    assertUserId(userId);
    assertPatch(patch);
    const rec = this.byUser.get(userId);
    if (!rec || rec.sessionId !== sessionId) return false;
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

  async remove(userId: number, sessionId: string): Promise<boolean> {
    this.assertOpen();
    const rec = this.byUser.get(userId);
    if (!rec || rec.sessionId !== sessionId) return false;
    this.byUser.delete(userId);
    this.unindex(rec);
    return true;
  }

  async nodesWithSessions(): Promise<string[]> {
    this.assertOpen();
    return [...this.byNode.keys()];
  }

  async listByNode(nodeId: string): Promise<PresenceRecord[]> {
    this.assertOpen();
    const ids = this.byNode.get(nodeId) ?? new Set<number>();
    const out: PresenceRecord[] = [];
    for (const userId of ids) {
      const rec = this.byUser.get(userId);
      if (rec) out.push({ ...rec });
    }
    return out;
  }

  async countByNode(nodeId: string): Promise<number> {
    this.assertOpen();
    return this.byNode.get(nodeId)?.size ?? 0;
  }

  async close(): Promise<void> {
    this.closed = true;
  }

  private index(rec: PresenceRecord): void {
    let ids = this.byNode.get(rec.nodeId);
    if (!ids) {
      ids = new Set();
      this.byNode.set(rec.nodeId, ids);
    }
    ids.add(rec.userId);
  }

  private unindex(rec: PresenceRecord): void {
    const ids = this.byNode.get(rec.nodeId);
    if (!ids) return;
    ids.delete(rec.userId);
    if (ids.size === 0) this.byNode.delete(rec.nodeId);
  }

  private assertOpen(): void {
    if (this.closed) throw new Error('presence store is closed');
  }
}

/**
 * The cluster-wide online table (seed module 3): one record per session, visible to every node.
 * A user may have several sessions at once (devices, tabs; R-DEV-1), so every question about a
 * user answers with all of that user's sessions, oldest first. The status is one per user:
 * presence keeps it the same on every session of the user (setStatus).
 */

import { type LoginMode, loginMode, type PresenceStatus, presenceStatus } from '@imw/shared';

/** `invisible` is stored like any other status; hiding it from others is presence's job. */
export const PRESENCE_STATUSES = presenceStatus.options;
export type { PresenceStatus };

/** A session's mode is the login packet's `mode` (shared/src/protocol/packets/auth.ts). */
export const SESSION_MODES = loginMode.options;
export type SessionMode = LoginMode;

export interface PresenceRecord {
  userId: number;
  sessionId: string;
  /** The node holding the user's socket: where cross-node messages for the user are routed. */
  nodeId: string;
  status: PresenceStatus;
  mode: SessionMode;
  sceneId: string | null;
  loginAtMs: number;
  /** The label the login named (R-DEV-4), shown in `session.list`. */
  device: string;
}

/** Fields a live session may change. Keys that are absent or `undefined` are left alone. */
export type PresencePatch = Partial<Pick<PresenceRecord, 'status' | 'mode' | 'sceneId' | 'nodeId'>>;

export interface PresenceStore {
  /**
   * Adds one session of a user, or replaces the entry with the same session id. Returns the
   * user's other sessions, oldest first (the caller enforces the per-user cap with them).
   */
  put(rec: PresenceRecord): Promise<PresenceRecord[]>;
  /** The user's sessions, oldest first (loginAtMs, then session id); empty when offline. */
  get(userId: number): Promise<PresenceRecord[]>;
  /** Only users that have at least one session appear in the map (each list oldest first). */
  getMany(userIds: readonly number[]): Promise<Map<number, PresenceRecord[]>>;
  /** Patch fields of one session, only if it is still stored; false if not (compare-and-set). */
  update(userId: number, sessionId: string, patch: PresencePatch): Promise<boolean>;
  /** Sets the status of every session of the user in one step (one status per user); returns how many. */
  setStatus(userId: number, status: PresenceStatus): Promise<number>;
  /** Removes one session, if still stored (a stale node must not delete what is gone). */
  remove(userId: number, sessionId: string): Promise<boolean>;
  /** The records whose nodeId is `nodeId`: what a janitor sweeps when that node dies. */
  listByNode(nodeId: string): Promise<PresenceRecord[]>;
  countByNode(nodeId: string): Promise<number>;
  /**
   * Every node id some record names: how a janitor that never saw a node alive (all nodes
   * restarted after it died) still finds its sessions.
   */
  nodesWithSessions(): Promise<string[]>;
  close(): Promise<void>;
}

/** The order every store answers a user's sessions in: oldest login first, then session id. */
export function oldestFirst(a: PresenceRecord, b: PresenceRecord): number {
  return a.loginAtMs - b.loginAtMs || (a.sessionId < b.sessionId ? -1 : a.sessionId > b.sessionId ? 1 : 0);
}

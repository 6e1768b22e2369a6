/**
 * The cluster-wide online table (seed module 3): one record per online user, visible to every
 * node. A user has at most one session; a new login replaces the old one (a takeover), and the
 * node that held the old session learns of it from the record that put() hands back.
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
}

/** Fields a live session may change. Keys that are absent or `undefined` are left alone. */
export type PresencePatch = Partial<Pick<PresenceRecord, 'status' | 'mode' | 'sceneId' | 'nodeId'>>;

export interface PresenceStore {
  /** Upsert the record for a user (one session per user). Returns the previous record, if any (so the caller can detect a takeover). */
  put(rec: PresenceRecord): Promise<PresenceRecord | undefined>;
  get(userId: number): Promise<PresenceRecord | undefined>;
  /** Only users that have a record appear in the map. */
  getMany(userIds: readonly number[]): Promise<Map<number, PresenceRecord>>;
  /** Patch fields only if the stored record still belongs to sessionId; false if not (compare-and-set). */
  update(userId: number, sessionId: string, patch: PresencePatch): Promise<boolean>;
  /** Remove only if the stored record still belongs to sessionId (a stale node must not delete a newer session). */
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

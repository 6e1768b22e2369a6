import {
  PRESENCE_STATUSES,
  type PresencePatch,
  type PresenceRecord,
  type PresenceStatus,
  SESSION_MODES,
  type SessionMode,
} from './types';

/**
 * Invariant checks shared by both stores. Records come from our own typed code, so a bad one
 * is a bug; failing here keeps it out of Redis, where every other node would have to read it.
 */
export function assertRecord(rec: PresenceRecord): void {
  assertUserId(rec.userId);
  assertNonEmpty('sessionId', rec.sessionId);
  assertNonEmpty('nodeId', rec.nodeId);
  if (!isStatus(rec.status)) throw new TypeError(`invalid presence status: ${String(rec.status)}`);
  if (!isMode(rec.mode)) throw new TypeError(`invalid session mode: ${String(rec.mode)}`);
  if (rec.sceneId !== null && typeof rec.sceneId !== 'string')
    throw new TypeError('sceneId must be a string or null');
  if (!Number.isFinite(rec.loginAtMs)) throw new TypeError(`invalid loginAtMs: ${rec.loginAtMs}`);
  if (typeof rec.device !== 'string' || rec.device.length > 64) throw new TypeError('invalid device label');
}

export function assertPatch(patch: PresencePatch): void {
  if (patch.status !== undefined && !isStatus(patch.status)) {
    throw new TypeError(`invalid presence status: ${String(patch.status)}`);
  }
  if (patch.mode !== undefined && !isMode(patch.mode))
    throw new TypeError(`invalid session mode: ${String(patch.mode)}`);
  if (patch.nodeId !== undefined) assertNonEmpty('nodeId', patch.nodeId);
  if (patch.sceneId !== undefined && patch.sceneId !== null && typeof patch.sceneId !== 'string') {
    throw new TypeError('sceneId must be a string or null');
  }
}

/** User ids become part of Redis keys; anything but a safe integer would alias another key. */
export function assertUserId(userId: number): void {
  if (!Number.isSafeInteger(userId)) throw new TypeError(`invalid userId: ${userId}`);
}

export function isStatus(value: unknown): value is PresenceStatus {
  return (PRESENCE_STATUSES as readonly unknown[]).includes(value);
}

export function isMode(value: unknown): value is SessionMode {
  return (SESSION_MODES as readonly unknown[]).includes(value);
}

function assertNonEmpty(field: string, value: unknown): void {
  if (typeof value !== 'string' || value === '') throw new TypeError(`${field} must be a non-empty string`);
}

import { presenceStatus } from '@imw/shared';
import type { ResumeCredentials } from '@imw/shared/sdk';

/**
 * Where the session's resume credentials live between page loads, so a reload resumes the
 * session instead of asking for the password. sessionStorage, not localStorage: it is per tab
 * (two tabs do not fight over one session) and is gone when the tab closes. The credentials are
 * as sensitive as a password for the session's lifetime, so nothing else is stored with them.
 */
export interface SavedSession {
  readonly credentials: ResumeCredentials;
  /** The SDK's resume() does not report the map, so it is remembered here. */
  readonly sceneId: string | null;
}

const KEY = 'imw.session';

function storage(): Storage | null {
  try {
    return window.sessionStorage;
  } catch {
    // Storage can be disabled (privacy settings, sandboxed frames): then a reload means logging in again.
    return null;
  }
}

const isString = (v: unknown): v is string => typeof v === 'string' && v.length > 0;

/** Parse, don't cast: anything that is not exactly a saved session is ignored (and dropped). */
function parse(raw: string): SavedSession | null {
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    return null;
  }
  if (typeof value !== 'object' || value === null) return null;
  const { credentials: c, sceneId } = value as { credentials?: unknown; sceneId?: unknown };
  if (typeof c !== 'object' || c === null) return null;
  const { sessionId, resumeToken, resumeKey, username, status } = c as Record<string, unknown>;
  if (!isString(sessionId) || !isString(resumeToken) || !isString(resumeKey) || !isString(username))
    return null;
  if (sceneId !== null && !isString(sceneId)) return null;
  // The own status rides along so a reload (and a re-created session) keeps it (R-PRS-3).
  const known = presenceStatus.safeParse(status);
  const credentials: ResumeCredentials = { sessionId, resumeToken, resumeKey, username };
  if (known.success) credentials.status = known.data;
  return { credentials, sceneId };
}

export function loadSession(): SavedSession | null {
  const raw = storage()?.getItem(KEY);
  if (!raw) return null;
  const saved = parse(raw);
  if (!saved) clearSession();
  return saved;
}

export function saveSession(saved: SavedSession): void {
  try {
    storage()?.setItem(KEY, JSON.stringify(saved));
  } catch (e) {
    // Quota or privacy mode: the session still works, it just will not survive a reload.
    console.warn('could not keep the session for reloads', e);
  }
}

export function clearSession(): void {
  storage()?.removeItem(KEY);
}

import { CloseCode, type LoginMode, type OwnProfile, type ParamsIn, SCENE_ID_RE } from '@imw/shared';
import { ClientErrorCode, type ImClient, ImError } from '@imw/shared/sdk';
import { createContext, type ReactNode, use, useEffect, useMemo, useRef, useState } from 'react';
import { preLoginSafeAgeMs, type SceneId } from './config';
import { type Msg, msg } from './i18n';
import type { Connection } from './lib/connection';
import { clearSession, loadSession, type SavedSession, saveSession } from './lib/resumeStore';
import { useClient, useConnection, useEvent } from './sdk-context';
import { fetchMapList } from './world/maps';

/** A message for the login screen after the session ended (or an account was created). */
export interface Notice {
  /** 'error' is shown in the login form's alert; 'info' in a polite live region. */
  readonly tone: 'info' | 'error';
  readonly text: Msg;
}

export type Session =
  /** A saved session is being resumed after a reload. */
  | { readonly status: 'restoring' }
  | { readonly status: 'signedOut'; readonly notice: Notice | null; readonly username: string }
  | {
      readonly status: 'signedIn';
      readonly profile: OwnProfile;
      readonly mode: LoginMode;
      readonly sceneId: SceneId | null;
    };

export interface LoginInput {
  username: string;
  password: string;
  mode: LoginMode;
  /** Only for World mode. */
  sceneId?: SceneId;
  /** Arrive invisible: friends are told nothing (R-PRS-3). */
  invisible?: boolean;
}

export interface SessionApi {
  readonly session: Session;
  register(username: string, password: string, displayName?: string): Promise<void>;
  login(input: LoginInput): Promise<void>;
  logout(): Promise<void>;
  updateProfile(patch: ParamsIn<'account.updateProfile'>): Promise<OwnProfile>;
  changePassword(currentPassword: string, newPassword: string): Promise<void>;
  deleteAccount(password: string): Promise<void>;
  dismissNotice(): void;
}

const SessionContext = createContext<SessionApi | null>(null);

const signedOut = (notice: Notice | null, username = ''): Session => ({
  status: 'signedOut',
  notice,
  username,
});

const asSceneId = (id: string | null): SceneId | null => (id !== null && SCENE_ID_RE.test(id) ? id : null);

/**
 * R-DEV-4: what the user's session list calls this device, e.g. "Firefox · Linux". Stored on the
 * server and read on the user's other devices, maybe in another language: names only, no words.
 */
function deviceLabel(): string {
  const ua = typeof navigator === 'undefined' ? '' : navigator.userAgent;
  const browser = /Edg\//.test(ua)
    ? 'Edge'
    : /Firefox\//.test(ua)
      ? 'Firefox'
      : /Chrome\//.test(ua)
        ? 'Chrome'
        : /Safari\//.test(ua)
          ? 'Safari'
          : 'Web';
  const os = /Android/.test(ua)
    ? 'Android'
    : /iPhone|iPad/.test(ua)
      ? 'iOS'
      : /Windows/.test(ua)
        ? 'Windows'
        : /Mac OS/.test(ua)
          ? 'macOS'
          : /Linux/.test(ua)
            ? 'Linux'
            : '';
  return os ? `${browser} · ${os}` : browser;
}

/** Close codes that end a session with a sentence of their own (errors:close.*). */
const CLOSE_KEY: Partial<Record<number, Msg['key']>> = {
  [CloseCode.REPLACED]: 'errors:close.4008',
  [CloseCode.SESSION_LIMIT]: 'errors:close.4017',
  [CloseCode.SESSION_ENDED]: 'errors:close.4018',
  [CloseCode.ACCOUNT_DELETED]: 'errors:close.4011',
  [CloseCode.SHUTDOWN]: 'errors:close.4012',
  [CloseCode.HEARTBEAT_TIMEOUT]: 'errors:close.4007',
  [CloseCode.KICKED]: 'errors:close.4019',
  [CloseCode.SUSPENDED]: 'errors:close.4020',
};

/** Why a logged-in session ended without the user asking (R-I18N-4: from the code, never the reason text). */
function lostSessionNotice(code: number | string): Notice {
  // Non-numeric codes come from a failed resume: the server no longer knows the session.
  const key = typeof code === 'string' ? 'errors:close.expired' : (CLOSE_KEY[code] ?? 'errors:close.lost');
  return { tone: 'error', text: msg(key) };
}

/**
 * Closes the logged-in socket, if it is still there, and resolves once it has closed (or after
 * `timeoutMs`), so a new login never races the old socket. It must never touch a newer socket
 * that the connection opened after the old one closed.
 */
function closeSession(client: ImClient, reason: string, timeoutMs = 3000): Promise<void> {
  if (client.state.status !== 'authenticated') return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      off();
      resolve();
    };
    const timer = setTimeout(done, timeoutMs);
    const off = client.on('state', (s) => {
      if (s.status === 'closed') done();
    });
    client.close(CloseCode.NORMAL, reason);
  });
}

async function loginOnce(client: ImClient, connection: Connection, input: LoginInput): Promise<OwnProfile> {
  await connection.ready({ maxPreLoginAgeMs: preLoginSafeAgeMs(client.limits) });
  return client.login(input.username, input.password, {
    mode: input.mode,
    ...(input.mode === 'scene' && input.sceneId ? { sceneId: input.sceneId } : {}),
    ...(input.invisible ? { status: 'invisible' as const } : {}),
    device: deviceLabel(),
  });
}

/** Resumes the session saved before a reload. */
async function restore(client: ImClient, connection: Connection, saved: SavedSession): Promise<Session> {
  try {
    await connection.ready({ maxPreLoginAgeMs: preLoginSafeAgeMs(client.limits) });
    const { profile } = await client.resume(saved.credentials);
    const mode = client.state.status === 'authenticated' ? client.state.mode : 'normal';
    const sceneId =
      mode === 'scene'
        ? (asSceneId(saved.sceneId) ?? (await fetchMapList().catch(() => []))[0]?.id ?? null)
        : null;
    return { status: 'signedIn', profile, mode, sceneId };
  } catch (e) {
    const unreachable =
      e instanceof ImError && (e.code === ClientErrorCode.DISCONNECTED || e.code === ClientErrorCode.TIMEOUT);
    // Keep the credentials when only the network failed: the next reload may still resume.
    if (!unreachable) clearSession();
    return signedOut(
      unreachable
        ? { tone: 'error', text: msg('errors:close.unreachable') }
        : { tone: 'error', text: msg('errors:close.expired') },
      saved.credentials.username,
    );
  }
}

export function SessionProvider({ children }: { children: ReactNode }) {
  const client = useClient();
  const connection = useConnection();
  // Read once: a saved session means the first screen is "restoring", not a login form that flashes.
  const [saved] = useState(loadSession);
  const [session, setSession] = useState<Session>(saved ? { status: 'restoring' } : signedOut(null));
  /** Set while the user ends the session on purpose, so the close that follows is not a "lost" one. */
  const leaving = useRef<'logout' | 'delete' | null>(null);
  /** The server announces why it closes a session just before the close (which may arrive as 1006). */
  const closing = useRef<{ closeCode: number } | null>(null);
  const restoring = useRef(false);
  const sceneId = session.status === 'signedIn' ? session.sceneId : null;

  useEffect(() => {
    // A ref, not a cleanup flag: StrictMode runs this effect twice, and one resume must run, once.
    if (!saved || restoring.current) return;
    restoring.current = true;
    void restore(client, connection, saved).then(setSession);
  }, [client, connection, saved]);

  // The SDK hands out fresh credentials after every login and resume: keep the latest for reloads.
  useEvent('credentials', (credentials) => saveSession({ credentials, sceneId }));

  // The map changes under the page (a portal): remember it, so a reload comes back to it instead
  // of joining the map chosen at login (the server's ticket follows too, R-RES-5).
  useEvent('scene.changed', ({ sceneId: next }) => {
    const known = asSceneId(next);
    if (!known || known === sceneId) return;
    setSession((prev) => (prev.status === 'signedIn' ? { ...prev, sceneId: known } : prev));
    if (client.credentials) saveSession({ credentials: client.credentials, sceneId: known });
  });

  // After a drop the SDK resumed on its own. When the server had to re-create the session
  // (`seamless` false, e.g. it restarted), what the page shows may be stale: fetch it again.
  useEvent('resumed', ({ seamless }) => {
    if (seamless || session.status !== 'signedIn') return;
    client.request('account.getProfile', {}).then(
      (profile) => setSession((prev) => (prev.status === 'signedIn' ? { ...prev, profile } : prev)),
      (e: unknown) => console.warn('could not refresh the profile after a resume', e),
    );
  });

  // R-DEV-6: another device took the avatar: back to chat (the notice is the chat store's).
  useEvent('scene.takenOver', () => {
    setSession((prev) => (prev.status === 'signedIn' ? { ...prev, mode: 'normal', sceneId: null } : prev));
    if (client.credentials) saveSession({ credentials: client.credentials, sceneId: null });
  });

  useEvent('session.closing', (body) => {
    closing.current = body;
  });

  /** Event handlers see the latest `session` (useEvent is built on useEffectEvent). */
  const loseSession = (notice: Notice) => {
    if (leaving.current || session.status !== 'signedIn') return;
    clearSession();
    setSession(signedOut(notice, session.profile.username));
  };

  // The SDK could not resume the session after a drop (expired, replaced, server forgot it).
  useEvent('sessionLost', ({ code }) => loseSession(lostSessionNotice(code)));

  // 'reconnecting' keeps the user in: the SDK is resuming. 'closed' means it will not.
  useEvent('state', (state) => {
    if (state.status !== 'closed') return;
    const code = closing.current?.closeCode ?? state.code;
    closing.current = null;
    loseSession(lostSessionNotice(code));
  });

  const actions = useMemo(() => {
    const signOut = (notice: Notice | null) => {
      clearSession();
      setSession((prev) => signedOut(notice, prev.status === 'signedIn' ? prev.profile.username : ''));
    };

    return {
      async register(username: string, password: string, displayName?: string) {
        await connection.ready({ maxPreLoginAgeMs: preLoginSafeAgeMs(client.limits) });
        await client.register(username, password, displayName);
        setSession(signedOut({ tone: 'info', text: msg('auth:notice.created') }, username));
      },

      async login(input: LoginInput) {
        const before = connection.getStatus().lastClose;
        let profile: OwnProfile;
        try {
          profile = await loginOnce(client, connection, input);
        } catch (e) {
          // The pre-login deadline can still cut a slow login off (slow device, slow network):
          // logging in is idempotent, so one more try on a fresh socket is safe.
          const last = connection.getStatus().lastClose;
          const cutOff =
            e instanceof ImError &&
            e.code === ClientErrorCode.DISCONNECTED &&
            last !== before &&
            last?.code === CloseCode.LOGIN_TIMEOUT;
          if (!cutOff) throw e;
          profile = await loginOnce(client, connection, input);
        }
        closing.current = null;
        const sceneId = input.mode === 'scene' ? (input.sceneId ?? null) : null;
        if (client.credentials) saveSession({ credentials: client.credentials, sceneId });
        setSession({ status: 'signedIn', profile, mode: input.mode, sceneId });
      },

      async logout() {
        leaving.current = 'logout';
        try {
          // The server forgets the session either way; a failed logout only means it learns by the close.
          await client.logout().catch(() => undefined);
          await closeSession(client, 'logout');
          signOut({ tone: 'info', text: msg('auth:notice.loggedOut') });
        } finally {
          leaving.current = null;
        }
      },

      async updateProfile(patch: ParamsIn<'account.updateProfile'>) {
        const profile = await client.request('account.updateProfile', patch);
        setSession((prev) => (prev.status === 'signedIn' ? { ...prev, profile } : prev));
        return profile;
      },

      async changePassword(currentPassword: string, newPassword: string) {
        await client.changePassword(currentPassword, newPassword);
      },

      async deleteAccount(password: string) {
        leaving.current = 'delete';
        const before = connection.getStatus().lastClose;
        try {
          try {
            await client.deleteAccount(password);
          } catch (e) {
            // If the server closed with ACCOUNT_DELETED before its answer arrived, it did delete.
            const last = connection.getStatus().lastClose;
            if (!(last !== before && last?.code === CloseCode.ACCOUNT_DELETED)) throw e;
          }
          await closeSession(client, 'account deleted');
          clearSession();
          setSession(signedOut({ tone: 'info', text: msg('auth:notice.deleted') }));
        } finally {
          leaving.current = null;
        }
      },

      dismissNotice() {
        setSession((prev) => (prev.status === 'signedOut' && prev.notice ? { ...prev, notice: null } : prev));
      },
    };
  }, [client, connection]);

  const value = useMemo<SessionApi>(() => ({ session, ...actions }), [session, actions]);
  return <SessionContext value={value}>{children}</SessionContext>;
}

export function useSession(): SessionApi {
  const ctx = use(SessionContext);
  if (!ctx) throw new Error('useSession() outside <SessionProvider>');
  return ctx;
}

/** For screens that only exist while logged in. */
export function useSignedIn(): Extract<Session, { status: 'signedIn' }> {
  const { session } = useSession();
  if (session.status !== 'signedIn') throw new Error('this screen needs a logged-in session');
  return session;
}

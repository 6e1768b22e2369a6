import { bio, displayName, type HelloLimits } from '@imw/shared';

/** Client-side settings and fixed choices, in one place. */

/**
 * The server serves this app and its WebSocket from one origin, at `/ws`; in development Vite's
 * proxy forwards `/ws` to the server, so the same rule holds there.
 */
export function webSocketUrl(loc: Pick<Location, 'protocol' | 'host'> = window.location): string {
  const override = import.meta.env.VITE_WS_URL;
  if (override) return override;
  return `${loc.protocol === 'https:' ? 'wss' : 'ws'}://${loc.host}/ws`;
}

/** A map's id on the server (its file name without `.tmj`); the list comes from `GET /maps`. */
export type SceneId = string;

/**
 * The server never sees a password (SCRAM), so it cannot enforce a policy: the client is the
 * only place that can. 8 is NIST SP 800-63B's minimum for user-chosen secrets.
 */
export const MIN_PASSWORD_CHARS = 8;
/** PBKDF2 cost grows with length only marginally, but a cap keeps paste accidents out. */
export const MAX_PASSWORD_CHARS = 1024;

/** Read from the shared schemas so the form and the server cannot disagree. */
export const MAX_BIO_CHARS = bio.maxLength ?? 280;
export const MAX_DISPLAY_NAME_CHARS = displayName.maxLength ?? 64;

/**
 * A logged-out socket older than this is replaced before a login or registration starts. The
 * server closes sockets that have not logged in within its pre-login deadline (announced in
 * `sys.hello`, 30 s by default), and PBKDF2 plus two round trips must fit in what is left: 10 s,
 * or half the deadline if it is shorter. Undefined before the first hello (no socket to judge).
 */
export function preLoginSafeAgeMs(limits: HelloLimits | null): number | undefined {
  if (!limits) return undefined;
  const deadline = limits.preLoginDeadlineMs;
  return Math.max(deadline - 10_000, deadline / 2);
}

import type { Params, RequestName, ResultIn } from '@imw/shared';

/** What every handler knows about the request it serves. */
export interface RequestContext {
  socketId: string;
  /** Remote address, for per-address limits. */
  ip: string;
  requestId: number;
  /** Set once logged in. */
  session: SessionRef | null;
  /** Control over the connection the request came on (login, resume, logout). */
  connection: ConnectionControl;
}

export interface ConnectionControl {
  /**
   * Switches the connection to the encrypted session. The response to the current request, and
   * anything still queued for the socket, leaves encrypted.
   */
  secure(keys: { c2s: Uint8Array; s2c: Uint8Array }, session: SessionRef): void;
  /** Sends what is queued (including the current response), then closes. */
  closeAfterResponse(code: number, reason: string): void;
  /** Runs once the current response is queued (e.g. to deliver packets held during a resume). */
  afterResponse(fn: () => void): void;
}

/** The part of a session other modules may rely on (presence owns the full record). */
export interface SessionRef {
  sessionId: string;
  userId: number;
  username: string;
}

/**
 * Returned by a handler that must not answer at all (the seed's rule for strangers: a message or
 * signal to a non-friend is dropped with no reply, so the sender learns nothing).
 */
export const SILENT: unique symbol = Symbol('silent');
export type Silent = typeof SILENT;

export type Handler<K extends RequestName> = (
  ctx: RequestContext,
  params: Params<K>,
) => Promise<ResultIn<K> | Silent> | ResultIn<K> | Silent;

export type HandlerMap<K extends RequestName = RequestName> = { [P in K]: Handler<P> };

/** Narrows a context to a logged-in one; the gateway guarantees it for non-public requests. */
export function requireSession(ctx: RequestContext): SessionRef {
  if (!ctx.session) throw new Error('invariant: non-public handler reached without a session');
  return ctx.session;
}

import type { Params, RequestName, RequestPacket, ResultIn } from '@imw/shared';

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
  /**
   * False once the socket has closed (R-SEC-35): a handler that awaited something must check it
   * before it binds anything to the socket, which nobody would ever detach.
   */
  isOpen(): boolean;
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

/** Requests the modules answer. The gateway answers `sys.heartbeat` itself; no module sees it. */
export type ModuleRequest = Exclude<RequestName, 'sys.heartbeat'>;

/** One handler per request: a new packet without a handler does not compile. */
export type HandlerMap<K extends ModuleRequest = ModuleRequest> = { [P in K]: Handler<P> };

/** A request the gateway hands to the modules (every request but the heartbeat). */
export type ModulePacket = Extract<RequestPacket, { type: ModuleRequest }>;

/** Routes one parsed packet to its handler. */
export type Dispatch = (ctx: RequestContext, packet: ModulePacket) => Promise<unknown>;

type PacketOf<K extends ModuleRequest> = { type: K; requestId: number; params: Params<K> };

function call<K extends ModuleRequest>(
  handlers: HandlerMap,
  ctx: RequestContext,
  packet: PacketOf<K>,
): ReturnType<Handler<K>> {
  const handler: Handler<K> = handlers[packet.type];
  return handler(ctx, packet.params);
}

/** The one dispatch: the packet's type picks its handler, with the params typed to match. */
export function dispatchFrom(handlers: HandlerMap): Dispatch {
  return async (ctx, packet) => call(handlers, ctx, packet);
}

/**
 * R-LIM-16: what a request costs in the per-connection bucket. `memory`: answered from memory
 * (sessions, cached friend and member sets, scenes), cost 1; `db`: may read or write the
 * database, cost DB_REQUEST_COST. Each module declares it next to its handlers, so a new request
 * does not compile until its cost is stated.
 */
export type RequestCost = 'memory' | 'db';
export type RequestCosts<K extends ModuleRequest = ModuleRequest> = { [P in K]: RequestCost };

/** Narrows a context to a logged-in one; the gateway guarantees it for non-public requests. */
export function requireSession(ctx: RequestContext): SessionRef {
  if (!ctx.session) throw new Error('invariant: non-public handler reached without a session');
  return ctx.session;
}

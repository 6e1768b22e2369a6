import { z } from 'zod';
import { ErrorCode } from '../codes';
import { empty, event, request } from '../schema';

const errorCode = z.enum(Object.values(ErrorCode) as [ErrorCode, ...ErrorCode[]]);

export const sysRequests = {
  /** R-HB-1: the application heartbeat. Refreshes liveness only. */
  'sys.heartbeat': request(1, empty, z.object({ serverTimeMs: z.number() })),
} as const;

/**
 * Responses are two fixed packet types. `result` carries the request's result schema (the client
 * knows which request by its id); `error` carries an error code.
 */
export const RESULT_TYPE_ID = 1;
export const ERROR_TYPE_ID = 2;

export const errorBody = z.object({
  code: errorCode,
  message: z.string(),
  details: z.array(z.string()).optional(),
  retryAfterMs: z.number().optional(),
  redirectUrl: z.string().optional(),
});
export type ErrorBody = z.infer<typeof errorBody>;

/**
 * Limits announced in `sys.hello` (R-HELLO-1): what this server's operator configured, so a
 * client shapes its input to them. The packet schemas stay the wire ceiling (chat text may never
 * exceed `chatText`'s maximum); these are at or below it.
 */
export const helloLimits = z.object({
  /** Longest friend/group chat message the server accepts (CHAT_MAX_TEXT_CHARS), in UTF-16 code units. */
  chatMaxTextChars: z.number().int().nonnegative(),
  /** Chat messages per second per session and the burst above it (CHAT_RATE_PER_SEC, CHAT_BURST); 0 = no limit. */
  chatPerSec: z.number().nonnegative(),
  chatBurst: z.number().nonnegative(),
  /** A socket that has not logged in within this many ms of opening is closed (PRE_LOGIN_DEADLINE_MS, 4006). */
  preLoginDeadlineMs: z.number().int().positive(),
});
export type HelloLimits = z.infer<typeof helloLimits>;

export const sysEvents = {
  /** An error that answers no particular request (e.g. a frame that could not be decoded at all). */
  'sys.error': event(3, errorBody),
  /** First frame on every socket: who we are talking to and the limits to respect. */
  'sys.hello': event(
    4,
    z.object({
      protocolVersion: z.number(),
      nodeId: z.string(),
      socketId: z.string(),
      heartbeatIntervalMs: z.number(),
      maxPayloadBytes: z.number(),
      /**
       * WebSocket URLs of the other live nodes. Plaintext and unauthenticated, so the SDK does not
       * fall back on it (R-SEC-3): the encrypted sys.nodes after login carries the same list.
       */
      nodes: z.array(z.string()).optional(),
      /** R-HELLO-1: the operator's limits a client should respect instead of hard-coding them. */
      limits: helloLimits,
    }),
  ),
  /**
   * R-CLU-38, R-SEC-3: the other live nodes, sent right after a login or resume result and whenever
   * they change (one started, drained or died), so a client that connected before a node joined can
   * still fail over to it. The SDK trusts it only from an encrypted frame.
   */
  'sys.nodes': event(5, z.object({ nodes: z.array(z.string().max(512)).max(256) })),
} as const;

export { empty };

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

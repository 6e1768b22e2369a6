/**
 * Error codes carried by `error` responses, and WebSocket close codes (application range 4000–4999).
 * The single source of truth: docs/PROTOCOL.md documents each entry, and the server maps its
 * errors to these in exactly one place (server/src/core/errors.ts).
 */
export const ErrorCode = {
  /** The frame could not be decoded (too short, bad msgpack, bad record layout, text frame). */
  BAD_FRAME: 'BAD_FRAME',
  /** The packet type id is not one the server knows for client-to-server traffic. */
  UNKNOWN_TYPE: 'UNKNOWN_TYPE',
  /** The payload failed schema validation; `details` lists the failing paths. */
  BAD_REQUEST: 'BAD_REQUEST',
  /** The command needs a logged-in session. */
  NOT_LOGGED_IN: 'NOT_LOGGED_IN',
  /** register/challenge/login sent on a socket that is already logged in. */
  ALREADY_LOGGED_IN: 'ALREADY_LOGGED_IN',
  /** Username taken at registration. */
  USERNAME_TAKEN: 'USERNAME_TAKEN',
  /** Wrong username or password: one answer for both, so usernames cannot be probed. */
  AUTH_FAILED: 'AUTH_FAILED',
  /** The nonce is not a live challenge of this socket (expired, used, or issued to another socket). */
  CHALLENGE_INVALID: 'CHALLENGE_INVALID',
  /** Too many requests (login failures, messages, signalling). `retryAfterMs` says when to try again. */
  RATE_LIMITED: 'RATE_LIMITED',
  /** The thing asked about does not exist (or is not visible to the caller). */
  NOT_FOUND: 'NOT_FOUND',
  /** The caller may not do this (not a member, not the owner, wrong mode). */
  FORBIDDEN: 'FORBIDDEN',
  /** The request conflicts with the current state (already friends, already a member). */
  CONFLICT: 'CONFLICT',
  /** A configured cap would be exceeded (friends, group members). */
  LIMIT_EXCEEDED: 'LIMIT_EXCEEDED',
  /** Log in on another node instead: reconnect to `redirectUrl` and log in there (session cap, scene host). */
  REDIRECT: 'REDIRECT',
  /** A dependency (database) is unavailable; the request changed nothing and may be retried. */
  UNAVAILABLE: 'UNAVAILABLE',
  /**
   * R-MOD-3: the account is suspended by an operator; `retryAfterMs` says how long is left. Only
   * after a correct password proof, so it tells nothing to someone guessing.
   */
  SUSPENDED: 'SUSPENDED',
  /** An unexpected server fault; logged on the server with the request id. */
  INTERNAL: 'INTERNAL',
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

export const CloseCode = {
  /** Normal close after logout or by the client. */
  NORMAL: 1000,
  /** Too many malformed frames, or a plaintext frame after login. */
  PROTOCOL_ERROR: 4000,
  /** Frame version lower than the oldest the server supports. */
  VERSION_TOO_OLD: 4001,
  /** Frame version higher than the newest the server supports. */
  VERSION_TOO_NEW: 4002,
  /** An encrypted frame failed authentication (tampered, wrong key). */
  DECRYPT_FAILED: 4003,
  /** An encrypted frame carried a counter that was not the next one (replay or reorder). */
  REPLAY: 4004,
  /** A frame larger than the configured payload limit. */
  FRAME_TOO_LARGE: 4005,
  /** No login within the pre-login deadline (absolute; traffic does not extend it). */
  LOGIN_TIMEOUT: 4006,
  /** No heartbeat within the heartbeat timeout. */
  HEARTBEAT_TIMEOUT: 4007,
  /** This session's socket was replaced by a resume of the same session on another connection. */
  REPLACED: 4008,
  /** Sustained abuse of a rate limit. */
  RATE_LIMITED: 4009,
  /** The server asks the client to reconnect to another node (see the `session.redirect` event). */
  REDIRECT: 4010,
  /** The account was deleted. */
  ACCOUNT_DELETED: 4011,
  /** The server is shutting down. */
  SHUTDOWN: 4012,
  /** The client could not keep up with what it was sent (backpressure). */
  SLOW_READER: 4013,
  /** Too many connections from one address. */
  TOO_MANY_CONNECTIONS: 4014,
  /** Too many frames or bytes queued before login. */
  PRE_LOGIN_FLOOD: 4015,
  /** The frame counter reached FRAME_COUNTER_LIMIT: resume, which brings fresh keys (R-SEC-22). */
  KEYS_EXHAUSTED: 4016,
  /** R-DEV-2: the account opened more than MAX_SESSIONS_PER_USER sessions; this, the oldest, ended. */
  SESSION_LIMIT: 4017,
  /** R-DEV-4: another session of the same user ended this one (`session.end`). */
  SESSION_ENDED: 4018,
  /** R-ADM-5: an operator ended every session of this user (kick); logging in again works. */
  KICKED: 4019,
  /** R-MOD-3: an operator suspended the account; logging in is refused until the date given. */
  SUSPENDED: 4020,
} as const;
export type CloseCode = (typeof CloseCode)[keyof typeof CloseCode];

/**
 * What a close code means for each side, so the server, the SDK and the web client cannot drift
 * (docs/PROTOCOL.md §Close codes).
 */
export const ClosePolicy = {
  /**
   * Server: the session ends at once instead of waiting out the resume grace: the client went
   * silent or broke the protocol, so it is not coming back to resume.
   */
  endsSessionAtOnce: new Set<number>([
    CloseCode.HEARTBEAT_TIMEOUT,
    CloseCode.PROTOCOL_ERROR,
    CloseCode.DECRYPT_FAILED,
    CloseCode.REPLAY,
    CloseCode.RATE_LIMITED,
  ]) as ReadonlySet<number>,
  /** SDK: reconnecting cannot help; the session is lost (log in again). */
  noResume: new Set<number>([
    CloseCode.REPLACED,
    CloseCode.SESSION_LIMIT,
    CloseCode.SESSION_ENDED,
    CloseCode.ACCOUNT_DELETED,
    CloseCode.VERSION_TOO_OLD,
    CloseCode.VERSION_TOO_NEW,
    CloseCode.DECRYPT_FAILED,
    CloseCode.REPLAY,
    CloseCode.PROTOCOL_ERROR,
    CloseCode.RATE_LIMITED,
    CloseCode.KICKED,
    CloseCode.SUSPENDED,
  ]) as ReadonlySet<number>,
  /**
   * Web client, logged-out socket: reopen at once, nothing is wrong with the network or the
   * server; the socket just has no further use (logout, an idle login page hitting the pre-login
   * deadline, a session ended by a newer one past the per-user cap or resumed elsewhere, a
   * deleted account).
   */
  reopenAtOnce: new Set<number>([
    CloseCode.NORMAL,
    CloseCode.LOGIN_TIMEOUT,
    CloseCode.REPLACED,
    CloseCode.SESSION_LIMIT,
    CloseCode.SESSION_ENDED,
    CloseCode.ACCOUNT_DELETED,
    CloseCode.KICKED,
    CloseCode.SUSPENDED,
  ]) as ReadonlySet<number>,
} as const;

export const CloseReason: Record<CloseCode, string> = {
  1000: 'normal',
  4000: 'protocol error',
  4001: 'protocol version too old',
  4002: 'protocol version too new',
  4003: 'decryption failed',
  4004: 'replayed or reordered frame',
  4005: 'frame too large',
  4006: 'login timeout',
  4007: 'heartbeat timeout',
  4008: 'session resumed on another connection',
  4009: 'rate limited',
  4010: 'redirect',
  4011: 'account deleted',
  4012: 'server shutting down',
  4013: 'slow reader',
  4014: 'too many connections',
  4015: 'pre-login flood',
  4016: 'frame counter exhausted; resume with fresh keys',
  4017: 'too many sessions; the oldest ended',
  4018: 'ended from another session',
  4019: 'kicked by an operator',
  4020: 'account suspended',
};

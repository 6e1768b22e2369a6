import { z } from 'zod';
import { avatar, bio, bytes, displayName, empty, event, request, userId, username } from '../schema';
import { presenceStatus } from './social';

/** Profile of the logged-in user, as they see it. */
export const ownProfile = z.object({
  userId,
  username: z.string(),
  displayName: z.string(),
  avatar: z.string(),
  bio: z.string(),
  createdAtMs: z.number(),
});
export type OwnProfile = z.infer<typeof ownProfile>;

/** What anyone may see of another user. */
export const publicProfile = z.object({
  userId,
  username: z.string(),
  displayName: z.string(),
  avatar: z.string(),
  bio: z.string(),
});
export type PublicProfile = z.infer<typeof publicProfile>;

const scramKeys = {
  salt: bytes(16, 64),
  iterations: z.number().int().min(1).max(10_000_000),
  storedKey: bytes(32, 32),
  serverKey: bytes(32, 32),
};

export const loginMode = z.enum(['normal', 'scene']);
export type LoginMode = z.infer<typeof loginMode>;

/** A device label as the user's other sessions see it (R-DEV-4): short, printable, one line. */
export const deviceLabel = z
  .string()
  .min(1)
  .max(40)
  .regex(/^[^\p{Cc}]+$/u, 'device: no control characters');

/** One of the user's own sessions (R-DEV-4). */
export const sessionInfo = z.object({
  sessionId: z.string(),
  device: z.string(),
  mode: loginMode,
  sceneId: z.string().optional(),
  sinceMs: z.number(),
  /** The session that asked. */
  current: z.boolean(),
});
export type SessionInfo = z.infer<typeof sessionInfo>;

/** SCRAM nonces are printable ASCII without commas (RFC 5802 §5.1). */
const nonce = z.string().regex(/^[\x21-\x2b\x2d-\x7e]{16,128}$/, 'nonce: 16-128 printable chars, no comma');

export const authRequests = {
  /** R-AUTH-1: registration carries SCRAM keys derived on the client, never the password. */
  'auth.register': request(
    10,
    z.object({
      username,
      displayName: displayName.optional(),
      ...scramKeys,
    }),
    z.object({ userId }),
    { public: true },
  ),
  /**
   * R-AUTH-2: first half of SCRAM-SHA-256. The answer has the same shape for unknown usernames.
   * `clientPublicKey` is an ephemeral X25519 key that becomes part of the SCRAM auth message.
   */
  'auth.challenge': request(
    11,
    z.object({ username, clientNonce: nonce, clientPublicKey: bytes(32, 32) }),
    z.object({
      nonce,
      salt: bytes(16, 64),
      iterations: z.number().int(),
      serverPublicKey: bytes(32, 32),
    }),
    { public: true },
  ),
  /**
   * R-AUTH-3: second half. On success the result is the first encrypted frame from the server:
   * it carries the server signature, which the client checks before trusting the session.
   */
  'auth.login': request(
    12,
    z.object({
      nonce,
      clientProof: bytes(32, 32),
      mode: loginMode.default('normal'),
      sceneId: z.string().max(64).optional(),
      /**
       * R-PRS-3: the status to arrive with; `invisible` logs in unseen. One status per user: it
       * applies to the user's other sessions too. Absent: the status the user's other sessions
       * have, else online (R-DEV-5).
       */
      status: presenceStatus.optional(),
      /** R-DEV-4: a short label for this device in `session.list` (default 'unknown'). */
      device: deviceLabel.optional(),
    }),
    z.object({
      serverSignature: bytes(32, 32),
      sessionId: z.string(),
      resumeToken: z.string(),
      profile: ownProfile,
      status: presenceStatus,
    }),
    { public: true },
  ),
  'auth.logout': request(13, empty, empty),
  /**
   * R-RES-1: first half of a session resume on a new socket: the ticket from login (or the last
   * resume) and a fresh X25519 key. No password: the proof comes from the old session's keys.
   */
  'auth.resumeChallenge': request(
    14,
    z
      .object({
        resumeToken: z.string().min(16).max(512),
        clientNonce: nonce,
        clientPublicKey: bytes(32, 32),
      })
      .strict(),
    z.object({ nonce, serverPublicKey: bytes(32, 32) }),
    { public: true },
  ),
  /**
   * R-RES-2: proof = HMAC(resumeKey, "client," + transcript). Like login, the result is the first
   * encrypted frame and carries the server's proof. `resumed` is false when the session had to be
   * re-created (the node restarted): the client should then refresh what it shows.
   */
  'auth.resume': request(
    15,
    z
      .object({
        nonce,
        proof: bytes(32, 32),
        /**
         * R-PRS-3: the client's own status, applied only when the server has to re-create the
         * session (after a restart or a move), so an invisible user never shows up online.
         */
        status: presenceStatus.optional(),
      })
      .strict(),
    z.object({
      serverProof: bytes(32, 32),
      sessionId: z.string(),
      resumeToken: z.string(),
      profile: ownProfile,
      /** The session's status now: what a reloaded page shows as its own. */
      status: presenceStatus,
      resumed: z.boolean(),
      mode: loginMode,
      sceneId: z.string().nullable(),
    }),
    { public: true },
  ),
  /** R-DEV-4: the user's sessions on every node, oldest first. */
  'session.list': request(16, empty, z.object({ sessions: z.array(sessionInfo) })),
  /**
   * R-DEV-4: ends one of the user's other sessions (its socket closes with 4018 after
   * `session.closing`; its ticket is void). Someone else's session, an unknown one, or the asking session itself:
   * NOT_FOUND, the same answer for each.
   */
  'session.end': request(17, z.object({ sessionId: z.string().min(1).max(64) }).strict(), empty),
} as const;

export const accountRequests = {
  'account.getProfile': request(30, empty, ownProfile),
  'account.getUser': request(
    31,
    z.union([z.object({ username }).strict(), z.object({ userId }).strict()]),
    publicProfile,
  ),
  'account.updateProfile': request(
    32,
    z
      .object({ displayName: displayName.optional(), avatar: avatar.optional(), bio: bio.optional() })
      .strict(),
    ownProfile,
  ),
  /** R-ACC-1: a fresh single-use SCRAM nonce to prove the current password (change password, delete). */
  'account.reauthChallenge': request(
    33,
    z.object({ clientNonce: nonce }).strict(),
    z.object({ nonce, salt: bytes(16, 64), iterations: z.number().int() }),
  ),
  'account.changePassword': request(
    34,
    z.object({ nonce, clientProof: bytes(32, 32), newKeys: z.object(scramKeys).strict() }).strict(),
    empty,
  ),
  'account.delete': request(35, z.object({ nonce, clientProof: bytes(32, 32) }).strict(), empty),
} as const;

export const authEvents = {
  /** The server is closing this session (replaced, deleted, shutdown); the close code follows. */
  'session.closing': event(1000, z.object({ reason: z.string(), closeCode: z.number().int() })),
  /**
   * R-CLU-32: reconnect to `url` and resume there with `resumeToken` (single-use, short-lived).
   * The socket is closed with REDIRECT right after; this node has already let the session go.
   */
  'session.redirect': event(
    1001,
    z.object({ url: z.string().max(512), resumeToken: z.string().max(512), reason: z.string() }),
  ),
  /**
   * R-RES-5: a fresh resume ticket after something the ticket carries changed (the scene, after a
   * portal or a join), so a session re-created from it after a crash puts the user back where
   * they were. Same session and resume key: it replaces only the token.
   */
  'session.ticket': event(1002, z.object({ resumeToken: z.string().max(512) })),
  /**
   * R-DEV-5: the user's status changed on another of their devices (one status per user), or
   * arrived with a newer login that named one. The client shows it as its own.
   */
  'presence.self': event(1003, z.object({ status: presenceStatus })),
} as const;

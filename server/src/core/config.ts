import { CHAT_TEXT_CEILING_CHARS } from '@imw/shared';
import { z } from 'zod';

/**
 * Every setting, its environment variable and its default, in one place. README.md's
 * configuration table is written from this file; keep them together.
 */
const int = (def: number) => z.coerce.number().int().nonnegative().default(def);
const bool = (def: boolean) =>
  z
    .enum(['true', 'false', '1', '0'])
    .default(def ? 'true' : 'false')
    .transform((v) => v === 'true' || v === '1');

export const configSchema = z.object({
  HOST: z.string().default('0.0.0.0'),
  PORT: int(8080),
  /** Public URL clients use to reach this node (printed at start; used in redirects). */
  PUBLIC_URL: z.string().optional(),
  NODE_ID: z.string().optional(),
  DATA_DIR: z.string().default('./data'),
  DATABASE_URL: z.string().optional(),
  REDIS_URL: z.string().optional(),
  /** Prefix of every Redis key and channel, so several clusters can share one Redis. */
  REDIS_KEY_PREFIX: z.string().default('imw:'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** Directory of the built web client, served as static files. */
  WEB_DIR: z.string().optional(),
  MAPS_DIR: z.string().optional(),
  /** The map listed first on the login form (GET /maps) when MAPS_DIR has it; the rest by name. */
  DEFAULT_MAP: z.string().default('plaza'),
  /** Largest accepted WebSocket frame, bytes. */
  MAX_PAYLOAD_BYTES: int(64 * 1024),
  /** Bytes queued for a slow reader before it is closed with SLOW_READER. */
  MAX_BACKPRESSURE_BYTES: int(1024 * 1024),
  /**
   * Bytes queued for a reader above which its `scene.view` updates are held back and merged
   * (superseded positions dropped) until it catches up; chat still goes until
   * MAX_BACKPRESSURE_BYTES closes the reader (R-LIM-15).
   */
  SCENE_HOLD_BACKPRESSURE_BYTES: int(256 * 1024),
  /** Absolute deadline from connect to a successful login; traffic does not extend it. */
  PRE_LOGIN_DEADLINE_MS: int(30_000),
  /** Frames accepted before login; more closes with PRE_LOGIN_FLOOD. */
  PRE_LOGIN_MAX_FRAMES: int(50),
  /** Undecodable frames tolerated on one socket before PROTOCOL_ERROR. */
  MAX_MALFORMED_FRAMES: int(10),
  HEARTBEAT_INTERVAL_MS: int(10_000),
  /** Three missed heartbeats: long enough for a busy tab, short enough that friends see it. */
  HEARTBEAT_TIMEOUT_MS: int(30_000),
  /** A dropped socket's session waits this long for a resume before friends see it go offline. */
  RESUME_GRACE_MS: int(20_000),
  /** R-DEV-2: sessions one account may have at once (devices, tabs); a newer one ends the oldest. */
  MAX_SESSIONS_PER_USER: int(5),
  /** Packets held for a detached session; more ends the session (the client logs in afresh). */
  RESUME_QUEUE_MAX: int(512),
  /** How long a resume ticket is valid (each resume hands out a new one). */
  RESUME_TICKET_TTL_MS: int(24 * 3600_000),
  /** How long a server SCRAM nonce lives. */
  CHALLENGE_TTL_MS: int(60_000),
  /** Iterations answered for unknown usernames; match what clients use so they look alike. */
  SCRAM_DEFAULT_ITERATIONS: int(100_000),
  /** Registrations with fewer PBKDF2 iterations are refused (RFC 7677 minimum). */
  SCRAM_MIN_ITERATIONS: int(4096),
  /**
   * Failed logins for one username from one address per window; more are refused before the
   * proof is checked (RATE_LIMITED). Per address, so nobody can lock a user out (review M4).
   */
  LOGIN_FAILURES_PER_USERNAME: int(5),
  /**
   * Failed logins for one username from all addresses per window; past it, an address that has
   * failed for that username gets no more tries in the window, while one that has not is still
   * checked: a distributed guesser slows down, the real user gets in.
   */
  LOGIN_FAILURES_PER_USERNAME_ALL_ADDRESSES: int(50),
  LOGIN_FAILURES_PER_ADDRESS: int(20),
  LOGIN_FAILURE_WINDOW_MS: int(60_000),
  /**
   * Successful logins of one account per minute; more answer RATE_LIMITED (R-SEC-34). Each login
   * ends the session before it, and every ended session is remembered until its ticket expires.
   * 0 turns the limit off.
   */
  LOGINS_PER_USER_PER_MINUTE: int(10),
  MAX_CONNECTIONS_PER_ADDRESS: int(256),
  /**
   * Pre-login requests (register, challenge, login, resume) per second from one address, across
   * all its connections (R-LIM-14): many fresh connections cannot multiply the database work a
   * per-connection limit allows. A login is two requests; the burst lets an office behind one NAT
   * reconnect at once. 0 turns the limit off.
   */
  PRE_LOGIN_REQUESTS_PER_ADDRESS_PER_SEC: int(50),
  PRE_LOGIN_REQUESTS_PER_ADDRESS_BURST: int(300),
  MAX_FRIENDS: int(500),
  /** R-RPT-4: reports one user may file per hour, counted in the database (every node); 0 = no limit. */
  REPORTS_PER_USER_PER_HOUR: int(10),
  /** R-FRD-30: new friend requests one user may send per rolling hour (0 = no limit). */
  FRIEND_REQUESTS_PER_HOUR: int(30),
  /** R-FRD-32: after a decline, how long the requester must wait to ask that user again (0 = no wait). */
  FRIEND_DECLINE_COOLDOWN_MS: int(7 * 24 * 3_600_000),
  /**
   * Longest chat message, in characters (UTF-16 code units); announced to clients in sys.hello.
   * At most the packet schema's ceiling (10,000), which no setting can raise.
   */
  CHAT_MAX_TEXT_CHARS: int(2000).pipe(z.number().max(CHAT_TEXT_CEILING_CHARS)),
  /** Chat messages per second per session (token bucket); 0 turns the limit off. */
  CHAT_RATE_PER_SEC: int(10),
  CHAT_BURST: int(30),
  /**
   * WebRTC signalling messages per second per session, a bucket of its own (R-RTC-4): setting up
   * a call trickles dozens of ICE candidates in a second, which must neither be throttled by
   * chatting nor use up the chat budget. 0 turns the limit off.
   */
  /**
   * Days friend and group messages are kept (#13); older ones are deleted by a periodic sweep
   * (the conversation's seq numbering stays). 0 keeps them forever.
   */
  MESSAGE_RETENTION_DAYS: int(0),
  /**
   * Rich messages (#16). Where uploaded files live: a folder (default DATA_DIR/files). The storage
   * is a port (messaging/files/storage.ts): the folder, or an S3-compatible bucket when
   * FILE_S3_BUCKET is set (then FILES_DIR is not used).
   */
  FILES_DIR: z.string().optional(),
  /** S3-compatible storage for files: the bucket (must exist); set, it replaces the folder. */
  FILE_S3_BUCKET: z.string().min(3).optional(),
  /** The S3-compatible server's URL (MinIO, Ceph, R2, …); AWS's endpoint for the region when unset. */
  FILE_S3_ENDPOINT: z.url().optional(),
  FILE_S3_REGION: z.string().min(1).default('us-east-1'),
  /** Both or neither; neither: the AWS SDK's default chain (AWS_* variables, instance role). */
  FILE_S3_ACCESS_KEY_ID: z.string().min(1).optional(),
  FILE_S3_SECRET_ACCESS_KEY: z.string().min(1).optional(),
  /** Path-style URLs (`endpoint/bucket/key`), which most self-hosted S3 servers need. */
  FILE_S3_FORCE_PATH_STYLE: bool(false),
  /** Prepended to every object key (e.g. `imw/`), to share a bucket. */
  FILE_S3_PREFIX: z.string().default(''),
  /** Largest upload, bytes (R-FILE-4). */
  FILE_MAX_BYTES: z.coerce
    .number()
    .int()
    .min(1)
    .max(1024 * 1024 * 1024)
    .default(20 * 1024 * 1024),
  /** Bytes one user may upload per UTC day (R-FILE-6); 0: no quota. */
  FILE_QUOTA_BYTES_PER_DAY: int(200 * 1024 * 1024),
  /** Lifetime of the upload/download token `files.token` hands out (R-FILE-1). */
  FILE_TOKEN_TTL_MS: z.coerce.number().int().min(1000).default(600_000),
  /** An uploaded file no message references is deleted after this long (R-FILE-8). */
  FILE_UNREFERENCED_GRACE_MS: z.coerce.number().int().min(0).default(3_600_000),
  /** How long after sending its sender may recall a message (R-RCL-1); 0: never. */
  RECALL_WINDOW_MS: int(120_000),
  /** R-CALL-3: how long a 1:1 call rings before the server ends it as missed. */
  RING_TIMEOUT_MS: z.coerce.number().int().min(100).max(600_000).default(30_000),
  /** How often the retention sweep runs when MESSAGE_RETENTION_DAYS is set. */
  MESSAGE_SWEEP_INTERVAL_MS: z.coerce.number().int().min(1000).default(3_600_000),
  /**
   * Group commit (#13): friend and group messages accepted within this many ms of the first one
   * are stored by ONE statement, and each is acknowledged once that statement committed. A
   * statement costs about the same CPU for one message as for ten, so at ordinary rates (a turn
   * holds one message) the window is what makes storage cheap; it adds up to this much latency
   * to every send. 0: one statement per event-loop turn (and per statement in flight).
   */
  APPEND_WINDOW_MS: z.coerce.number().int().min(0).max(1000).default(25),
  /**
   * PGlite only (no autovacuum there): how often the server runs ANALYZE, ms (0: only after
   * start-up and after PGLITE_ANALYZE_EVERY_MESSAGES). PostgreSQL's autovacuum does this itself.
   */
  PGLITE_ANALYZE_INTERVAL_MS: int(3_600_000),
  /** PGlite only: ANALYZE after every this many stored messages (0: never by count). */
  PGLITE_ANALYZE_EVERY_MESSAGES: int(20_000),
  SIGNAL_RATE_PER_SEC: int(30),
  SIGNAL_BURST: int(100),
  /** Requests of any kind per second per connection, the general flood guard. */
  REQUESTS_PER_SEC: int(100),
  REQUESTS_BURST: int(200),
  /**
   * Tokens a logged-in request that may touch the database (account, friends, groups, logout)
   * takes from that bucket; requests served from memory (chat, scenes, signalling, status) take
   * one. At the defaults a connection gets 10 database requests a second (burst 20), so a few flooding
   * connections cannot keep an embedded database busy for everyone else (R-LIM-16).
   */
  DB_REQUEST_COST: int(10),
  /** Refusals within 10 s after which a connection is closed with RATE_LIMITED. */
  RATE_STRIKES_TO_CLOSE: int(50),
  /**
   * A request not answered by then gets UNAVAILABLE, and the connection's next requests go on: a
   * dependency that stops answering (a database host gone silent) must not stall the user's chat
   * behind it. The SDK gives up after 10 s too. 0 turns the deadline off.
   */
  REQUEST_TIMEOUT_MS: int(10_000),
  /** Comma-separated STUN URLs handed to clients for direct connections. */
  STUN_URLS: z.string().default(''),
  /** Comma-separated TURN URLs; used with TURN_SECRET (coturn's use-auth-secret / static-auth-secret). */
  TURN_URLS: z.string().default(''),
  TURN_SECRET: z.string().optional(),
  TURN_TTL_SECONDS: int(3600),
  MAX_GROUP_MEMBERS: int(500),
  /**
   * Scene tick: view changes (enter, move, leave, action) are batched per recipient and sent as one
   * `scene.view` per tick. 50 ms = 20 Hz, smooth enough for walking avatars; the timer runs only
   * while some scene has users.
   */
  SCENE_TICK_MS: z.coerce.number().int().min(1).max(1000).default(50),
  /**
   * Most members of a proximity bubble or a meeting area's call (#19). Browsers talk to each other
   * in a mesh, each sending its camera to every other member: above about four a laptop's uplink
   * and encoder give out (docs/ARCHITECTURE.md, "Calls in the world").
   */
  BUBBLE_CAP: z.coerce.number().int().min(2).max(16).default(4),
  /**
   * Secret for the admin HTTP API (Authorization: Bearer …). Unset: the admin API is off. At least
   * 32 characters: a guessable token would hand out drain, notices and ads (security review I4).
   */
  ADMIN_TOKEN: z.string().min(32, 'must be at least 32 characters (e.g. `openssl rand -hex 32`)').optional(),
  /**
   * Resume-ticket keys, `id:base64(32 bytes)` separated by commas; the first seals, all open
   * (rotate by prepending). Unset: one key is made in DATA_DIR/ticket-keys on first start. Every
   * node of a cluster must have the same keys. Never kept in the database (security review M2).
   */
  TICKET_KEYS: z.string().optional(),
  /** Server secret for derived values (fake salts). Unset: generated once and kept in the database. */
  SERVER_SECRET: z.string().optional(),
  /** A node's registry entry lives this long without a refresh; then the others consider it dead. */
  NODE_TTL_MS: int(5000),
  /** How often a node refreshes its registry entry, scene leases and runs the janitor. */
  NODE_ANNOUNCE_MS: int(1000),
  /** Sessions on one node before new logins are redirected to a less loaded node (0: no cap). */
  MAX_SESSIONS_PER_NODE: int(0),
  /** Lifetime of a redirect ticket (single-use). */
  REDIRECT_TICKET_TTL_MS: int(30_000),
  /**
   * Reverse proxies (comma-separated addresses or CIDR ranges) whose X-Forwarded-For names the
   * client for per-address limits. Unset: the TCP peer is the client.
   */
  TRUSTED_PROXIES: z.string().optional(),
  TLS_CERT_FILE: z.string().optional(),
  TLS_KEY_FILE: z.string().optional(),
  /** Serve /metrics (Prometheus). It still needs METRICS_TOKEN or ADMIN_TOKEN (R-SEC-20). */
  METRICS: bool(true),
  /**
   * Bearer token for /metrics and /cluster/nodes (R-SEC-20); unset: ADMIN_TOKEN guards them, and
   * without either they answer 404. Frame counters and session counts tell who is online, so
   * they are never public. At least 32 characters.
   */
  METRICS_TOKEN: z
    .string()
    .min(32, 'must be at least 32 characters (e.g. `openssl rand -hex 32`)')
    .optional(),
});

export type Config = z.output<typeof configSchema>;

export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const parsed = configSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new Error(`invalid configuration:\n${lines.join('\n')}`);
  }
  return parsed.data;
}

/** Defaults with overrides, for tests and embedding. */
export function makeConfig(overrides: Partial<Config> = {}): Config {
  return { ...loadConfig({}), ...overrides };
}

import { sql } from 'drizzle-orm';
import {
  bigint,
  boolean,
  check,
  customType,
  foreignKey,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  serial,
  text,
  timestamp,
  uniqueIndex,
} from 'drizzle-orm/pg-core';

/** bytea as Uint8Array on both drivers (PGlite and postgres.js return Buffer/Uint8Array). */
export const bytea = customType<{ data: Uint8Array; driverData: Uint8Array }>({
  dataType: () => 'bytea',
  toDriver: (v) => (Buffer.isBuffer(v) ? v : Buffer.from(v.buffer, v.byteOffset, v.byteLength)),
  fromDriver: (v) => new Uint8Array(v),
});

/**
 * Accounts hold SCRAM-SHA-256 verifiers only (salt, iterations, StoredKey, ServerKey): never a
 * password, never a plain or MD5 hash of one.
 */
export const users = pgTable('users', {
  id: serial('id').primaryKey(),
  username: text('username').notNull().unique(),
  displayName: text('display_name').notNull(),
  avatar: text('avatar').notNull().default('fox'),
  bio: text('bio').notNull().default(''),
  scramSalt: bytea('scram_salt').notNull(),
  scramIterations: integer('scram_iterations').notNull(),
  scramStoredKey: bytea('scram_stored_key').notNull(),
  scramServerKey: bytea('scram_server_key').notNull(),
  createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().default(sql`now()`),
});

/** Node-wide values that must survive restarts (e.g. the secret behind fake salts). */
export const serverMeta = pgTable('server_meta', {
  key: text('key').primaryKey(),
  value: bytea('value').notNull(),
});

/** A pending friend request (R-FRD-*). At most one per direction; a crossing request becomes a friendship. */
export const friendRequests = pgTable(
  'friend_requests',
  {
    fromUserId: integer('from_user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    toUserId: integer('to_user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().default(sql`now()`),
  },
  (t) => [
    primaryKey({ columns: [t.fromUserId, t.toUserId] }),
    index('friend_requests_to_user_idx').on(t.toUserId),
    check('friend_requests_not_self', sql`${t.fromUserId} <> ${t.toUserId}`),
  ],
);

/**
 * A friendship is two rows, (a, b) and (b, a), so "friends of X" is one index range. The mirror
 * foreign key makes the pairing a database guarantee: a row cannot exist without its mirror at the
 * end of a statement (so both rows go in one INSERT), and deleting either row deletes the other.
 */
export const friendships = pgTable(
  'friendships',
  {
    userId: integer('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    friendId: integer('friend_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().default(sql`now()`),
  },
  (t) => [
    primaryKey({ columns: [t.userId, t.friendId] }),
    foreignKey({
      name: 'friendships_mirror_fk',
      columns: [t.friendId, t.userId],
      foreignColumns: [t.userId, t.friendId],
    }).onDelete('cascade'),
    index('friendships_friend_idx').on(t.friendId),
    check('friendships_not_self', sql`${t.userId} <> ${t.friendId}`),
  ],
);

/**
 * Chat groups (R-GRP-*). The owner is always a member. Deleting a user who still owns a group is
 * refused by the foreign key (no ON DELETE action): the social service hands the group over or
 * dissolves it first (`SocialService.onUserDeleted`), so no group is ever left without an owner.
 */
export const groups = pgTable(
  'groups',
  {
    id: serial('id').primaryKey(),
    name: text('name').notNull(),
    ownerId: integer('owner_id')
      .notNull()
      .references(() => users.id),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().default(sql`now()`),
  },
  (t) => [index('groups_name_lower_idx').on(sql`lower(${t.name})`), index('groups_owner_idx').on(t.ownerId)],
);

export const groupMembers = pgTable(
  'group_members',
  {
    groupId: integer('group_id')
      .notNull()
      .references(() => groups.id, { onDelete: 'cascade' }),
    userId: integer('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    joinedAt: timestamp('joined_at', { withTimezone: true, mode: 'date' }).notNull().default(sql`now()`),
  },
  (t) => [primaryKey({ columns: [t.groupId, t.userId] }), index('group_members_user_idx').on(t.userId)],
);

/**
 * Sessions that ended, until their resume tickets would have expired (R-RES-4): shared by every
 * node and kept across restarts, so an ended session's ticket is void everywhere. Rows past
 * `expires_at` are purged by presence/revocations.ts.
 */
export const endedSessions = pgTable(
  'ended_sessions',
  {
    sessionId: text('session_id').primaryKey(),
    expiresAt: timestamp('expires_at', { withTimezone: true, mode: 'date' }).notNull(),
  },
  (t) => [index('ended_sessions_expires_idx').on(t.expiresAt)],
);

/**
 * The head of a conversation (#13): `id` is the conversation id of shared/protocol/conv.ts and
 * `last_seq` the last sequence number handed out. Appends bump it with INSERT .. ON CONFLICT DO
 * UPDATE, whose row lock serialises writers on every node, so seqs stay gap-free and strictly
 * increasing. A head exists once its conversation has a message. Deleting either user of a 1:1
 * conversation, or the group, deletes it (and its messages and read positions, by cascade).
 */
export const conversations = pgTable(
  'conversations',
  {
    id: text('id').primaryKey(),
    kind: text('kind', { enum: ['direct', 'group'] }).notNull(),
    userLo: integer('user_lo').references(() => users.id, { onDelete: 'cascade' }),
    userHi: integer('user_hi').references(() => users.id, { onDelete: 'cascade' }),
    groupId: integer('group_id').references(() => groups.id, { onDelete: 'cascade' }),
    lastSeq: bigint('last_seq', { mode: 'number' }).notNull(),
    lastAt: timestamp('last_at', { withTimezone: true, mode: 'date' }).notNull(),
  },
  (t) => [
    // "My conversations" (sync) reads these; the group one also serves the cascade on group deletion.
    index('conversations_user_lo_idx').on(t.userLo),
    index('conversations_user_hi_idx').on(t.userHi),
    index('conversations_group_idx').on(t.groupId),
    check(
      'conversations_kind_parts',
      sql`(${t.kind} = 'direct' and ${t.userLo} is not null and ${t.userHi} is not null and ${t.userLo} < ${t.userHi} and ${t.groupId} is null) or (${t.kind} = 'group' and ${t.groupId} is not null and ${t.userLo} is null and ${t.userHi} is null)`,
    ),
  ],
);

/**
 * Stored friend and group messages. `(conv, seq)` is the key every read uses; `id` is the
 * server-wide message id (sent as a decimal string). `sender_id` becomes null when the sender's
 * account is deleted (their group messages stay, from "a deleted user"). `(sender_id, client_id)`
 * is unique so a resend with the same client id finds the original: as a full unique index
 * (NULLs are distinct, so rows without a client id never collide) it also serves the
 * ON DELETE SET NULL lookup by sender, where a partial index could not.
 */
export const messages = pgTable(
  'messages',
  {
    conv: text('conv')
      .notNull()
      .references(() => conversations.id, { onDelete: 'cascade' }),
    seq: bigint('seq', { mode: 'number' }).notNull(),
    id: bigint('id', { mode: 'number' }).notNull().generatedAlwaysAsIdentity(),
    senderId: integer('sender_id').references(() => users.id, { onDelete: 'set null' }),
    clientId: text('client_id'),
    at: timestamp('at', { withTimezone: true, mode: 'date' }).notNull(),
    text: text('text').notNull(),
    /** R-GRP-32: null for a message; 'joined' or 'left' for a group's event line about `sender_id`. */
    event: text('event', { enum: ['joined', 'left', 'missedCall'] }),
    /** R-FILE-*: the attached file; null without one, and after a recall. */
    fileId: text('file_id').references(() => files.id, { onDelete: 'set null' }),
    /** R-RPL-1: the seq (same conversation) this message replies to. */
    replySeq: bigint('reply_seq', { mode: 'number' }),
    /** R-RCL-1: recalled by its sender: text emptied, file deleted, the row kept so seqs stay whole. */
    recalled: boolean('recalled').notNull().default(false),
  },
  (t) => [
    primaryKey({ columns: [t.conv, t.seq] }),
    uniqueIndex('messages_id_idx').on(t.id),
    uniqueIndex('messages_sender_client_idx').on(t.senderId, t.clientId),
    // The retention sweep deletes by age.
    index('messages_at_idx').on(t.at),
    // What the unreferenced-file sweep and the file's ON DELETE look up (one message per file is
    // the files.claim column's job: a unique violation here would fail a whole append batch).
    index('messages_file_idx').on(t.fileId),
    // R-SRCH-*: substring search (ILIKE) in English and Chinese; trigrams narrow it for 3+ chars.
    index('messages_text_trgm_idx').using('gin', sql`${t.text} gin_trgm_ops`),
  ],
);

/**
 * Uploaded files (#16). The bytes live in the storage backend under `id`; the row says what they
 * are (type sniffed from the bytes, never the client's word) and which conversation they were
 * uploaded to: only its members may download (R-FILE-3). A file no message references is removed
 * by the sweep once FILE_UNREFERENCED_GRACE_MS passed (an upload that was never sent, a deleted
 * account's 1:1 history, retention).
 */
export const files = pgTable(
  'files',
  {
    id: text('id').primaryKey(),
    ownerId: integer('owner_id').references(() => users.id, { onDelete: 'set null' }),
    conv: text('conv').notNull(),
    name: text('name').notNull(),
    mime: text('mime').notNull(),
    size: integer('size').notNull(),
    kind: text('kind', { enum: ['image', 'file'] }).notNull(),
    width: integer('width'),
    height: integer('height'),
    thumb: boolean('thumb').notNull().default(false),
    /** Set once by the send that attaches it (its clientId, or a random marker): one message per file. */
    claim: text('claim'),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull(),
  },
  (t) => [index('files_created_idx').on(t.createdAt), index('files_owner_idx').on(t.ownerId)],
);

/** R-FILE-6: bytes each user uploaded per UTC day, for the daily quota (kept when files are deleted). */
export const uploadUsage = pgTable(
  'upload_usage',
  {
    userId: integer('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    day: text('day').notNull(),
    bytes: bigint('bytes', { mode: 'number' }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.day] })],
);

/** R-REACT-*: one row per (message, user, emoji). */
export const reactions = pgTable(
  'reactions',
  {
    conv: text('conv').notNull(),
    seq: bigint('seq', { mode: 'number' }).notNull(),
    userId: integer('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    emoji: text('emoji').notNull(),
    at: timestamp('at', { withTimezone: true, mode: 'date' }).notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.conv, t.seq, t.userId, t.emoji] }),
    foreignKey({ columns: [t.conv, t.seq], foreignColumns: [messages.conv, messages.seq] }).onDelete(
      'cascade',
    ),
    index('reactions_user_idx').on(t.userId),
  ],
);

/** How far each user has read each conversation; only moves forward. */
export const readPositions = pgTable(
  'read_positions',
  {
    userId: integer('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    conv: text('conv')
      .notNull()
      .references(() => conversations.id, { onDelete: 'cascade' }),
    seq: bigint('seq', { mode: 'number' }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.conv] }), index('read_positions_conv_idx').on(t.conv)],
);

/**
 * Receipts (#15, R-RCP-*): the positions a user lets the others of a conversation see, apart from
 * the private read position above. Written only while the user is visible and, for `read_seq`,
 * shares read receipts, so what was read while invisible is never told (R-RCP-3); only moves
 * forward. `delivered_seq` is kept for direct conversations only.
 */
export const receipts = pgTable(
  'receipts',
  {
    userId: integer('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    conv: text('conv')
      .notNull()
      .references(() => conversations.id, { onDelete: 'cascade' }),
    deliveredSeq: bigint('delivered_seq', { mode: 'number' }).notNull(),
    readSeq: bigint('read_seq', { mode: 'number' }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.conv, t.userId] }), index('receipts_user_idx').on(t.userId)],
);

/**
 * Reports (#15, R-RPT-*): a user reports another user, optionally one message whose text the
 * reporter shares (the server keeps what the reporter sent: it never reads the conversation for
 * the operator). Names are copied at report time so a report stays readable after a deletion.
 */
export const reports = pgTable(
  'reports',
  {
    id: serial('id').primaryKey(),
    reporterId: integer('reporter_id').references(() => users.id, { onDelete: 'set null' }),
    reporterName: text('reporter_name').notNull(),
    targetId: integer('target_id').references(() => users.id, { onDelete: 'set null' }),
    targetName: text('target_name').notNull(),
    messageId: text('message_id'),
    messageText: text('message_text'),
    category: text('category').notNull(),
    note: text('note').notNull().default(''),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().default(sql`now()`),
    resolvedAt: timestamp('resolved_at', { withTimezone: true, mode: 'date' }),
    resolution: text('resolution'),
  },
  (t) => [
    index('reports_open_idx').on(t.resolvedAt, t.id),
    index('reports_target_idx').on(t.targetId),
    // R-RPT-4 counts a reporter's reports of the last hour.
    index('reports_reporter_idx').on(t.reporterId, t.createdAt),
  ],
);

/** What operators did (R-MOD-*): warn, suspend, lift, delete. Kept after the account is gone. */
export const moderationActions = pgTable(
  'moderation_actions',
  {
    id: serial('id').primaryKey(),
    userId: integer('user_id').notNull(),
    username: text('username').notNull(),
    kind: text('kind').notNull(),
    text: text('text').notNull().default(''),
    until: timestamp('until', { withTimezone: true, mode: 'date' }),
    reportId: integer('report_id').references(() => reports.id, { onDelete: 'set null' }),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().default(sql`now()`),
  },
  (t) => [index('moderation_actions_user_idx').on(t.userId)],
);

/** R-MOD-3: an account that may not log in before `until`. Gone with the account. */
export const suspensions = pgTable('suspensions', {
  userId: integer('user_id')
    .primaryKey()
    .references(() => users.id, { onDelete: 'cascade' }),
  until: timestamp('until', { withTimezone: true, mode: 'date' }).notNull(),
  reason: text('reason').notNull().default(''),
});

/**
 * A user's settings (R-SET-1), one JSON object per user validated by shared's `settingsSchema`
 * on the way in and read field by field on the way out (`readSettings`), so a new setting needs
 * no migration. Deleting the user deletes it.
 */
export const userSettings = pgTable('user_settings', {
  userId: integer('user_id')
    .primaryKey()
    .references(() => users.id, { onDelete: 'cascade' }),
  settings: jsonb('settings').notNull().default(sql`'{}'::jsonb`),
  updatedAt: timestamp('updated_at', { withTimezone: true, mode: 'date' }).notNull().default(sql`now()`),
});

/**
 * R-BLK-*: `blocker_id` blocks `blocked_id`. One row per direction; the blocked user is never told
 * (their requests get the answers a stranger's or an ignored request's would).
 */
export const blocks = pgTable(
  'blocks',
  {
    blockerId: integer('blocker_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    blockedId: integer('blocked_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().default(sql`now()`),
  },
  (t) => [
    primaryKey({ columns: [t.blockerId, t.blockedId] }),
    index('blocks_blocked_idx').on(t.blockedId),
    check('blocks_not_self', sql`${t.blockerId} <> ${t.blockedId}`),
  ],
);

/** R-FRD-30: when each friend request was made, for the per-hour limit (rows older than an hour are pruned). */
export const friendRequestLog = pgTable(
  'friend_request_log',
  {
    fromUserId: integer('from_user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    at: timestamp('at', { withTimezone: true, mode: 'date' }).notNull(),
  },
  (t) => [index('friend_request_log_from_at_idx').on(t.fromUserId, t.at)],
);

/** R-FRD-32: `to_user_id` declined `from_user_id`'s request at `at`; a new request waits out the cooldown. */
export const friendDeclines = pgTable(
  'friend_declines',
  {
    fromUserId: integer('from_user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    toUserId: integer('to_user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    at: timestamp('at', { withTimezone: true, mode: 'date' }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.fromUserId, t.toUserId] })],
);

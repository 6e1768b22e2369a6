import { z } from 'zod';
import { clientMessageId, convId } from '../conv';
import { empty, event, request, userId } from '../schema';
import { groupId } from './social';

/**
 * Messages (seed module 4) and direct connections (seed module 2). Request ids 100–149, event
 * ids 1200–1299. Text is checked again on the server against the configured maximum
 * (CHAT_MAX_TEXT_CHARS); the schema bound is the hard ceiling.
 */
/** The wire ceiling for chat text; the operator's CHAT_MAX_TEXT_CHARS (announced in sys.hello) is at or below it. */
export const CHAT_TEXT_CEILING_CHARS = 10_000;
export const chatText = z.string().min(1).max(CHAT_TEXT_CEILING_CHARS);
export const messageId = z.string().max(64);

/** A per-conversation sequence number: 1, 2, 3, … without gaps (0 = before the first message). */
export const seq = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);

/** R-MSG-8: the acknowledgement of a stored message; a resend with the same clientId gets the same one. */
const ack = z.object({ messageId, conv: convId, seq, atMs: z.number() });

/**
 * The kinds of event line a conversation stores: R-GRP-32 a group's `joined`/`left`; R-CALL-3 a 1:1
 * conversation's `missedCall` (from the caller, whose call was not answered in time).
 */
export const groupEventKind = z.enum(['joined', 'left', 'missedCall']);
export type GroupEventKind = z.infer<typeof groupEventKind>;

/** Largest history page (R-HIST-3); the server's store has the same bound. */
export const HISTORY_LIMIT_MAX = 200;

/** R-FILE-*: a file's server id (random, base64url). */
export const fileId = z.string().regex(/^[A-Za-z0-9_-]{16,64}$/);

/** What a message says about its attached file; the bytes are fetched over HTTP (R-FILE-3). */
export const fileInfo = z.object({
  fileId,
  /** The uploader's file name, for display and the download's filename. */
  name: z.string().max(255),
  /** Sniffed from the bytes on upload (R-FILE-5), never the client's word. */
  mime: z.string().max(255),
  size: z.number().int().min(0),
  /** `image`: re-encoded, shown inline, with a thumbnail when `thumb`; `file`: an attachment. */
  kind: z.enum(['image', 'file']),
  width: z.number().int().min(0).optional(),
  height: z.number().int().min(0).optional(),
  thumb: z.boolean(),
});
export type FileInfo = z.infer<typeof fileInfo>;

/**
 * R-REACT-2: one emoji (a pictograph, optionally with skin tone, variation selector or ZWJ
 * sequence, or a flag): no text, so a reaction cannot carry a message.
 */
export const emoji = z
  .string()
  .min(1)
  .max(32)
  .regex(/^(?:\p{Extended_Pictographic}|\p{Emoji_Component}|\u200d|\ufe0f)+$/u)
  .refine((s) => /\p{Extended_Pictographic}|\p{Regional_Indicator}/u.test(s), 'not an emoji');

/** R-REACT-1: who reacted with one emoji to a message, oldest first. */
export const reactionSummary = z.object({ emoji: z.string(), userIds: z.array(userId) });
export type ReactionSummary = z.infer<typeof reactionSummary>;

/** R-RPL-2: the start of the message replied to, so a page shows the quote without loading it. */
export const quote = z.object({
  seq,
  from: userId.nullable(),
  /** At most QUOTE_MAX_CHARS; empty when recalled. */
  text: z.string(),
  recalled: z.boolean(),
  /** The quoted message has a file. */
  file: z.boolean(),
});
export const QUOTE_MAX_CHARS = 200;

/** One stored message as history returns it. `from` is null once the sender's account is gone. */
export const historyMessage = z.object({
  messageId,
  conv: convId,
  seq,
  from: userId.nullable(),
  /** Group messages: the sender's display name (as it is now; live pushes carry the name at send time). */
  fromName: z.string().optional(),
  text: z.string(),
  atMs: z.number(),
  clientId: clientMessageId.optional(),
  /** R-GRP-32: an event line (text empty): `from` joined or left the group. */
  event: groupEventKind.optional(),
  /** R-RPL-1: the seq this message replies to, and (R-RPL-2) the quote when that one still exists. */
  replyTo: seq.optional(),
  quote: quote.optional(),
  file: fileInfo.optional(),
  /** R-RCL-1: recalled by its sender; text empty and no file. */
  recalled: z.literal(true).optional(),
  reactions: z.array(reactionSummary).optional(),
});
export type HistoryMessage = z.infer<typeof historyMessage>;

export const conversationSummary = z.object({
  conv: convId,
  lastSeq: seq,
  /** The user's read position (0 = nothing read). */
  readSeq: seq,
  /** Messages from others after readSeq, counted up to a cap (1000). */
  unread: z.number().int().min(0),
  lastAtMs: z.number(),
});
export type ConversationSummary = z.infer<typeof conversationSummary>;

/**
 * R-CALL-*: `ring` (caller) announces a call without media; `accept` and `decline` (callee) answer
 * it; only after `accept` does the caller get its camera and send an `offer`.
 */
export const rtcKind = z.enum(['offer', 'answer', 'candidate', 'hangup', 'ring', 'accept', 'decline']);
export type RtcKind = z.infer<typeof rtcKind>;

/** An ICE candidate as RTCIceCandidateInit, bounded. */
export const iceCandidate = z
  .object({
    candidate: z.string().max(1024),
    sdpMid: z.string().max(64).nullable().optional(),
    sdpMLineIndex: z.number().int().min(0).max(64).nullable().optional(),
    usernameFragment: z.string().max(256).nullable().optional(),
  })
  .strict();

/** The fields of one signalling message, shared by 1:1 calls and bubble calls (scene.signal). */
export const signal = {
  callId: z.string().min(1).max(64),
  kind: rtcKind,
  /** SDP for offer/answer; bounded so a relay cannot be used to move bulk data. */
  sdp: z.string().max(16_384).optional(),
  candidate: iceCandidate.optional(),
  /** What the caller wants: data channel only, or audio/video too. */
  media: z.enum(['data', 'audio', 'video']).optional(),
};

export const iceServer = z.object({
  urls: z.array(z.string()),
  username: z.string().optional(),
  credential: z.string().optional(),
});

/** Largest search page (R-SRCH-3). */
export const SEARCH_LIMIT_MAX = 50;

/** R-SRCH-1: one message found, newest first; the client jumps to (conv, seq). */
export const searchHit = z.object({
  messageId,
  conv: convId,
  seq,
  from: userId.nullable(),
  text: z.string(),
  atMs: z.number(),
  file: fileInfo.optional(),
});
export type SearchHit = z.infer<typeof searchHit>;

/** R-SRCH-4: a person found by name among the user's friends and fellow group members. */
export const personHit = z.object({
  userId,
  username: z.string(),
  displayName: z.string(),
  avatar: z.string(),
  friend: z.boolean(),
});

const sendExtras = {
  /** R-FILE-2: a file this user uploaded to this conversation and has not sent yet. */
  fileId: fileId.optional(),
  /** R-RPL-1: the seq of a message of the same conversation. */
  replyTo: seq.min(1).optional(),
};

export const messagingRequests = {
  /**
   * R-MSG-1: a message to a friend. The acknowledgement is the same whether the friend is online,
   * offline or invisible. R-MSG-2: to anyone who is not a friend, there is no answer at all.
   */
  'chat.send': request(
    100,
    z.object({ to: userId, text: chatText, clientId: clientMessageId.optional(), ...sendExtras }).strict(),
    ack,
  ),
  /** R-MSG-4: a message to a group you are a member of. */
  'chat.sendGroup': request(
    101,
    z.object({ groupId, text: chatText, clientId: clientMessageId.optional(), ...sendExtras }).strict(),
    ack,
  ),
  /**
   * R-HIST-1: the user's conversations with messages, newest activity first, with read positions
   * and unread counts; capped (`more` says there are others).
   */
  'chat.sync': request(
    102,
    empty,
    z.object({ conversations: z.array(conversationSummary), more: z.boolean() }),
  ),
  /**
   * R-HIST-2: one page of a conversation, ascending by seq. afterSeq pages forward (sync, gap
   * fill), otherwise the newest before beforeSeq (scrolling up). R-HIST-4: FORBIDDEN, the same
   * either way, for a conversation the user is not part of or that does not exist.
   */
  'chat.history': request(
    103,
    z
      .object({
        conv: convId,
        beforeSeq: seq.optional(),
        afterSeq: seq.optional(),
        limit: z.number().int().min(1).max(HISTORY_LIMIT_MAX).optional(),
      })
      .strict(),
    z.object({ messages: z.array(historyMessage), more: z.boolean() }),
  ),
  /** R-HIST-5: moves the read position forward (never back); the user's other sessions are told. */
  'chat.read': request(104, z.object({ conv: convId, seq }).strict(), z.object({ seq })),
  /** R-RCL-1..3: the sender takes a message back within RECALL_WINDOW_MS; everyone is told. */
  'chat.recall': request(110, z.object({ conv: convId, seq: seq.min(1) }).strict(), empty),
  /** R-REACT-1..3: add (`on`) or remove one emoji reaction; every member's sessions are told. */
  'chat.react': request(
    111,
    z.object({ conv: convId, seq: seq.min(1), emoji, on: z.boolean() }).strict(),
    empty,
  ),
  /**
   * R-SRCH-1..3: messages of the user's own conversations (or of `conv`) containing `query`,
   * newest first; `beforeId` pages on (the last hit's messageId).
   */
  'chat.search': request(
    112,
    z
      .object({
        query: z.string().min(1).max(100),
        conv: convId.optional(),
        beforeId: z
          .string()
          .regex(/^[0-9]{1,19}$/)
          .optional(),
        limit: z.number().int().min(1).max(SEARCH_LIMIT_MAX).optional(),
      })
      .strict(),
    z.object({ hits: z.array(searchHit), more: z.boolean() }),
  ),
  /** R-SRCH-4: people by name among the user's friends and fellow group members. */
  'chat.searchPeople': request(
    113,
    z.object({ query: z.string().min(1).max(64) }).strict(),
    z.object({ people: z.array(personHit) }),
  ),
  /**
   * R-FILE-1: a short-lived token for the HTTP upload and download routes (`/files`), handed over
   * the encrypted session so no credential of the session itself goes over HTTP.
   */
  'files.token': request(
    114,
    empty,
    z.object({ token: z.string().max(512), expiresAtMs: z.number(), maxBytes: z.number().int() }),
  ),
  /** R-RTC-1: the ICE servers to use, with short-lived TURN credentials when TURN is configured. */
  'rtc.iceServers': request(120, empty, z.object({ iceServers: z.array(iceServer), ttlSeconds: z.number() })),
  /** R-RTC-2: relay one signalling message to a friend; strangers get silence, like messages. */
  'rtc.signal': request(121, z.object({ to: userId, ...signal }).strict(), empty),
} as const;

export const messagingEvents = {
  /** To the recipient's sessions and the sender's other sessions (R-MSG-10). */
  'chat.message': event(
    1200,
    z.object({
      messageId,
      conv: convId,
      seq,
      from: userId,
      to: userId,
      text: z.string(),
      atMs: z.number(),
      clientId: clientMessageId.optional(),
      file: fileInfo.optional(),
      replyTo: seq.optional(),
      /** R-CALL-3: an event line (text empty): `from`'s call to `to` was not answered. */
      event: groupEventKind.optional(),
    }),
  ),
  'chat.groupMessage': event(
    1201,
    z.object({
      messageId,
      conv: convId,
      seq,
      groupId,
      from: userId,
      fromName: z.string(),
      text: z.string(),
      atMs: z.number(),
      clientId: clientMessageId.optional(),
      /** R-GRP-32: an event line (text empty): `from` joined or left the group. */
      event: groupEventKind.optional(),
      file: fileInfo.optional(),
      replyTo: seq.optional(),
    }),
  ),
  /** R-HIST-5: the user read up to `seq` on another session. */
  'chat.read': event(1202, z.object({ conv: convId, seq })),
  /** R-RCL-2: a message was recalled by its sender (`by`); its text and file are gone. */
  'chat.recalled': event(1205, z.object({ conv: convId, seq, by: userId })),
  /** R-REACT-3: a reaction was added (`on`) or removed, to every session of every member. */
  'chat.reaction': event(1206, z.object({ conv: convId, seq, userId, emoji: z.string(), on: z.boolean() })),
  /** R-MSG-6: an operator notice; reaches every online user, friends or not. */
  'chat.system': event(1210, z.object({ messageId, text: z.string(), atMs: z.number() })),
  'chat.ad': event(
    1211,
    z.object({
      messageId,
      title: z.string(),
      text: z.string(),
      /**
       * R-SEC-4: http(s) only, like the admin API takes them; anything else (`javascript:`,
       * `data:`) makes the whole record malformed, so no SDK user renders it as an href.
       */
      link: z
        .url({ protocol: /^https?$/ })
        .max(500)
        .optional(),
      atMs: z.number(),
    }),
  ),
  'rtc.signal': event(1220, z.object({ from: userId, ...signal })),
} as const;

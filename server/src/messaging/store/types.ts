import type { FileInfo } from '@imw/shared';

/** What the store takes and gives; numbers are JS numbers (seqs and times stay far below 2^53). */

export interface AppendInput {
  /** A canonical conversation id (shared/protocol/conv.ts); the caller has checked the sender may write it. */
  conv: string;
  senderId: number;
  /** Chosen by the client to make resends idempotent; unique per sender. */
  clientId?: string | undefined;
  text: string;
  /** Server time of acceptance, ms since the epoch. */
  atMs: number;
  /** R-GRP-32: an event line about the sender (joined or left the group) instead of a message. */
  event?: 'joined' | 'left' | 'missedCall' | undefined;
  /** R-FILE-*: an uploaded file of this conversation (the caller checked it is the sender's, unsent). */
  fileId?: string | undefined;
  /** R-RPL-1: the seq of the message this one replies to, in the same conversation. */
  replySeq?: number | undefined;
}

/** The acknowledgement of an append. */
export interface StoredMessage {
  /** Server-wide id, a decimal string (bigint in the database). */
  messageId: string;
  conv: string;
  seq: number;
  atMs: number;
  /** True when (sender, clientId) was already stored: these are the original's fields, nothing new was stored. */
  duplicate: boolean;
}

/** A message read back (history). `senderId` is null once the sender's account was deleted. */
export interface HistoryMessage {
  messageId: string;
  conv: string;
  seq: number;
  senderId: number | null;
  clientId: string | null;
  atMs: number;
  text: string;
  /** R-GRP-32: null for a message; the event an event line records. */
  event: 'joined' | 'left' | 'missedCall' | null;
  /** R-RPL-1: the seq replied to. */
  replySeq: number | null;
  /** R-RCL-1: recalled (text empty, no file). */
  recalled: boolean;
  file: FileInfo | null;
  /** R-RPL-2: the start of the message replied to, while it exists. */
  quote: { seq: number; from: number | null; text: string; recalled: boolean; file: boolean } | null;
  /** R-REACT-1: by emoji, in the order first reacted. */
  reactions: ReactionSummary[];
}

export interface ReactionSummary {
  emoji: string;
  userIds: number[];
}

export interface HistoryQuery {
  /** Only messages with seq < beforeSeq (scrolling up); the newest ones of that range. */
  beforeSeq?: number | undefined;
  /** Only messages with seq > afterSeq (sync, gap fill); the oldest ones of that range. */
  afterSeq?: number | undefined;
  /** 1..HISTORY_PAGE_MAX; HISTORY_PAGE_DEFAULT when absent. */
  limit?: number | undefined;
}

export interface HistoryPage {
  /** Ascending by seq. */
  messages: HistoryMessage[];
  /** More messages exist in the requested direction past this page. */
  more: boolean;
}

export interface ConversationSummary {
  conv: string;
  lastSeq: number;
  lastAtMs: number;
  /** 0 when the user never marked anything read. */
  readSeq: number;
  /** Messages from others after readSeq, counted up to UNREAD_COUNT_CAP. */
  unread: number;
}

export interface SummaryPage {
  /** Newest activity first. */
  conversations: ConversationSummary[];
  more: boolean;
}

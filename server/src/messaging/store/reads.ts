import { QUOTE_MAX_CHARS } from '@imw/shared';
import { sql } from 'drizzle-orm';
import type { Db } from '../../db';
import {
  HISTORY_PAGE_DEFAULT,
  HISTORY_PAGE_MAX,
  SUMMARIES_MAX,
  SWEEP_CHUNK,
  UNREAD_COUNT_CAP,
} from './limits';
import { param, rows } from './sql-util';
import type {
  ConversationSummary,
  HistoryMessage,
  HistoryPage,
  HistoryQuery,
  ReactionSummary,
  SummaryPage,
} from './types';

const DAY_MS = 86_400_000;

interface MessageRow {
  id: string;
  conv: string;
  seq: number | string;
  sender_id: number | null;
  client_id: string | null;
  at_ms: number | string;
  text: string;
  event: 'joined' | 'left' | 'missedCall' | null;
  reply_seq: number | string | null;
  recalled: boolean;
  f_id: string | null;
  f_name: string | null;
  f_mime: string | null;
  f_size: number | string | null;
  f_kind: 'image' | 'file' | null;
  f_width: number | null;
  f_height: number | null;
  f_thumb: boolean | null;
  q_seq: number | string | null;
  q_from: number | null;
  q_text: string | null;
  q_recalled: boolean | null;
  q_file: boolean | null;
  reactions: string | null;
}

const bool = (v: unknown) => v === true || v === 't' || v === 'true';

function reactionsOf(raw: string | null): ReactionSummary[] {
  if (!raw) return [];
  const list = (typeof raw === 'string' ? JSON.parse(raw) : raw) as { e: string; u: number }[];
  const by = new Map<string, number[]>();
  for (const r of list) {
    const users = by.get(r.e) ?? [];
    users.push(Number(r.u));
    by.set(r.e, users);
  }
  return [...by].map(([emoji, userIds]) => ({ emoji, userIds }));
}

const toMessage = (r: MessageRow): HistoryMessage => ({
  messageId: String(r.id),
  conv: r.conv,
  seq: Number(r.seq),
  senderId: r.sender_id,
  clientId: r.client_id,
  atMs: Number(r.at_ms),
  text: r.text,
  event: r.event ?? null,
  replySeq: r.reply_seq === null ? null : Number(r.reply_seq),
  recalled: bool(r.recalled),
  file:
    r.f_id === null
      ? null
      : {
          fileId: r.f_id,
          name: r.f_name ?? '',
          mime: r.f_mime ?? 'application/octet-stream',
          size: Number(r.f_size ?? 0),
          kind: r.f_kind ?? 'file',
          ...(r.f_width !== null ? { width: Number(r.f_width) } : {}),
          ...(r.f_height !== null ? { height: Number(r.f_height) } : {}),
          thumb: bool(r.f_thumb),
        },
  quote:
    r.q_seq === null
      ? null
      : {
          seq: Number(r.q_seq),
          from: r.q_from,
          text: r.q_text ?? '',
          recalled: bool(r.q_recalled),
          file: bool(r.q_file),
        },
  reactions: reactionsOf(r.reactions),
});

/** The columns and joins every message read shares: the file, the quoted message, reactions. */
export const MESSAGE_COLUMNS = sql`m.id::text as id, m.conv, m.seq, m.sender_id, m.client_id,
  (extract(epoch from m."at") * 1000)::bigint as at_ms, m.text, m.event, m.reply_seq, m.recalled,
  f.id as f_id, f.name as f_name, f.mime as f_mime, f.size as f_size, f.kind as f_kind,
  f.width as f_width, f.height as f_height, f.thumb as f_thumb,
  q.seq as q_seq, q.sender_id as q_from, left(q.text, ${QUOTE_MAX_CHARS}) as q_text,
  q.recalled as q_recalled, (q.file_id is not null) as q_file,
  (select json_agg(json_build_object('e', r.emoji, 'u', r.user_id) order by r."at", r.user_id)::text
     from reactions r where r.conv = m.conv and r.seq = m.seq) as reactions`;
export const MESSAGE_JOINS = sql`left join files f on f.id = m.file_id
  left join lateral (
    -- A probe of the primary key per row (LIMIT keeps it from being flattened into a hash join).
    select q.seq, q.sender_id, q.text, q.recalled, q.file_id from messages q
    where m.reply_seq is not null and q.conv = m.conv and q.seq = m.reply_seq limit 1
  ) q on true`;
export const rowToMessage = toMessage;
export type { MessageRow };

/** A cursor is a seq: a non-negative integer (0 = before the first message). */
function cursor(name: string, v: number | undefined): number | undefined {
  if (v === undefined) return undefined;
  if (!Number.isSafeInteger(v) || v < 0) throw new RangeError(`${name} must be an integer >= 0`);
  return v;
}

/**
 * One page of a conversation, ascending. With afterSeq the oldest messages after it (forward:
 * sync, gap fill), otherwise the newest before beforeSeq (or the newest of all: scrolling up).
 * Both bound a range. Reads `limit + 1` rows to know whether there is more, over the primary
 * key (conv, seq). Seqs deleted by retention are simply absent.
 */
export async function history(db: Db, conv: string, q: HistoryQuery): Promise<HistoryPage> {
  const limit = q.limit ?? HISTORY_PAGE_DEFAULT;
  if (!Number.isInteger(limit) || limit < 1 || limit > HISTORY_PAGE_MAX)
    throw new RangeError(`limit must be 1..${HISTORY_PAGE_MAX}`);
  const after = cursor('afterSeq', q.afterSeq);
  const before = cursor('beforeSeq', q.beforeSeq);
  const forward = after !== undefined;
  const found = await rows<MessageRow>(
    db,
    sql`
with page as (
  select m.* from messages m
  where m.conv = ${conv}
    and m.seq > ${after ?? 0}
    and (${before ?? null}::bigint is null or m.seq < ${before ?? null}::bigint)
  order by m.seq ${forward ? sql`asc` : sql`desc`}
  limit ${limit + 1}
)
select ${MESSAGE_COLUMNS}
from page m ${MESSAGE_JOINS}
order by m.seq ${forward ? sql`asc` : sql`desc`}`,
  );
  const more = found.length > limit;
  const page = found.slice(0, limit).map(toMessage);
  if (!forward) page.reverse();
  return { messages: page, more };
}

interface SummaryRow {
  id: string;
  last_seq: number | string;
  last_at_ms: number | string;
  read_seq: number | string;
  unread: number | string;
}

/**
 * The user's conversations, newest activity first: their 1:1 conversations (user_lo / user_hi
 * indexes) and the given groups' (group_id index). Unread counts run only for the page's rows
 * and stop at UNREAD_COUNT_CAP each, over the primary key range (conv, seq > readSeq).
 */
export async function summaries(
  db: Db,
  userId: number,
  groupIds: readonly number[],
  limit: number,
): Promise<SummaryPage> {
  if (!Number.isInteger(limit) || limit < 1 || limit > SUMMARIES_MAX)
    throw new RangeError(`limit must be 1..${SUMMARIES_MAX}`);
  const found = await rows<SummaryRow>(
    db,
    sql`
with mine as (
  select id, last_seq, last_at from conversations
  where user_lo = ${userId} or user_hi = ${userId} or group_id = any(${param(groupIds)}::int[])
  order by last_at desc, id
  limit ${limit + 1}
)
select c.id, c.last_seq, (extract(epoch from c.last_at) * 1000)::bigint as last_at_ms,
  coalesce(r.seq, 0) as read_seq,
  (select count(*) from (
     select 1 from messages m
     where m.conv = c.id and m.seq > coalesce(r.seq, 0) and m.sender_id is distinct from ${userId}
       and m.event is null
     limit ${UNREAD_COUNT_CAP}) u) as unread
from mine c left join read_positions r on r.user_id = ${userId} and r.conv = c.id
order by c.last_at desc, c.id`,
  );
  const more = found.length > limit;
  const conversations: ConversationSummary[] = found.slice(0, limit).map((r) => ({
    conv: r.id,
    lastSeq: Number(r.last_seq),
    lastAtMs: Number(r.last_at_ms),
    readSeq: Number(r.read_seq),
    unread: Number(r.unread),
  }));
  return { conversations, more };
}

/**
 * Moves the user's read position forward to `seq`, never back and never past the last message.
 * Returns the position now stored, or null when the conversation has no messages yet (no head).
 */
export async function setRead(db: Db, userId: number, conv: string, seq: number): Promise<number | null> {
  if (!Number.isSafeInteger(seq) || seq < 0) throw new RangeError('seq must be an integer >= 0');
  const [row] = await rows<{ seq: number | string }>(
    db,
    sql`
insert into read_positions (user_id, conv, seq)
select ${userId}, c.id, least(${seq}::bigint, c.last_seq) from conversations c where c.id = ${conv}
on conflict (user_id, conv) do update set seq = greatest(read_positions.seq, excluded.seq)
returning seq`,
  );
  return row ? Number(row.seq) : null;
}

/**
 * Deletes messages older than `retentionDays` (0 = keep forever), in chunks of SWEEP_CHUNK rows
 * (messages_at_idx). Heads keep their last_seq, so numbering never restarts. Returns how many went.
 */
export async function sweep(db: Db, retentionDays: number, nowMs: number): Promise<number> {
  if (!Number.isFinite(retentionDays) || retentionDays < 0)
    throw new RangeError('retentionDays must be >= 0');
  if (retentionDays === 0) return 0;
  const cutoffMs = nowMs - retentionDays * DAY_MS;
  let total = 0;
  for (;;) {
    const [row] = await rows<{ n: number | string }>(
      db,
      sql`
with gone as (
  delete from messages where (conv, seq) in (
    select conv, seq from messages where "at" < to_timestamp(${cutoffMs}::bigint / 1000.0) limit ${SWEEP_CHUNK})
  returning 1
)
select count(*) as n from gone`,
    );
    const n = Number(row?.n ?? 0);
    total += n;
    if (n < SWEEP_CHUNK) return total;
  }
}

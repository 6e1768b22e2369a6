import { sql } from 'drizzle-orm';
import type { Db } from '../../db';
import { MESSAGE_COLUMNS, MESSAGE_JOINS, type MessageRow, rowToMessage } from './reads';
import { param, rows } from './sql-util';
import type { HistoryMessage } from './types';

/** One message with its file, quote and reactions, or null. */
export async function messageAt(db: Db, conv: string, seq: number): Promise<HistoryMessage | null> {
  const [row] = await rows<MessageRow>(
    db,
    sql`select ${MESSAGE_COLUMNS} from messages m ${MESSAGE_JOINS} where m.conv = ${conv} and m.seq = ${seq}`,
  );
  return row ? rowToMessage(row) : null;
}

/**
 * R-RCL-1: empties the message (text, file reference, reactions) and marks it recalled, if it is
 * `senderId`'s and not yet recalled. Answers the file id it had (to delete its bytes), or
 * `false` when nothing changed.
 */
export async function recall(
  db: Db,
  conv: string,
  seq: number,
  senderId: number,
): Promise<{ fileId: string | null } | false> {
  const [row] = await rows<{ file_id: string | null }>(
    db,
    sql`
with gone as (
  delete from reactions where conv = ${conv} and seq = ${seq}
    and exists (select 1 from messages where conv = ${conv} and seq = ${seq} and sender_id = ${senderId})
)
update messages m set text = '', file_id = null, recalled = true
from messages o
where m.conv = ${conv} and m.seq = ${seq} and m.sender_id = ${senderId} and not m.recalled
  and o.conv = m.conv and o.seq = m.seq
returning o.file_id`,
  );
  return row ? { fileId: row.file_id } : false;
}

/** R-REACT-2: how many different emoji one user may put on one message. */
export const REACTIONS_PER_USER_MAX = 20;

/**
 * R-REACT-1: adds or removes one (user, emoji) on a message. Answers 'ok' (also when nothing
 * changed), 'limit' when the user already has REACTIONS_PER_USER_MAX other emoji there.
 */
export async function react(
  db: Db,
  r: { conv: string; seq: number; userId: number; emoji: string; on: boolean; atMs: number },
): Promise<'ok' | 'limit'> {
  if (!r.on) {
    await rows(
      db,
      sql`delete from reactions where conv = ${r.conv} and seq = ${r.seq} and user_id = ${r.userId} and emoji = ${r.emoji}`,
    );
    return 'ok';
  }
  const [row] = await rows<{ n: number | string; had: boolean | string }>(
    db,
    sql`
select count(*) as n, bool_or(emoji = ${r.emoji}) as had from reactions
where conv = ${r.conv} and seq = ${r.seq} and user_id = ${r.userId}`,
  );
  const had = row?.had === true || row?.had === 't';
  if (!had && Number(row?.n ?? 0) >= REACTIONS_PER_USER_MAX) return 'limit';
  await rows(
    db,
    sql`
insert into reactions (conv, seq, user_id, emoji, "at")
values (${r.conv}, ${r.seq}, ${r.userId}, ${r.emoji}, to_timestamp(${r.atMs}::bigint / 1000.0))
on conflict do nothing`,
  );
  return 'ok';
}

/** `%`, `_` and `\` taken literally in an ILIKE pattern. */
const likeEscape = (s: string) => s.replace(/[\\%_]/g, '\\$&');

/**
 * R-SRCH-1..3: messages containing `query` (case-insensitive substring: ILIKE, which the trigram
 * index messages_text_trgm_idx serves for 3+ characters; shorter queries and CJK text, whose
 * characters pg_trgm may not split into trigrams, are still answered exactly, by the recheck)
 * in the user's 1:1 conversations and the given groups, or in `conv` alone (checked by the
 * caller). Newest first (by id), paged with `beforeId`. Recalled messages and event lines are
 * never found.
 */
export async function search(
  db: Db,
  q: {
    userId: number;
    groupIds: readonly number[];
    conv?: string | undefined;
    query: string;
    beforeId?: string | undefined;
    limit: number;
  },
): Promise<{ messages: HistoryMessage[]; more: boolean }> {
  const pattern = `%${likeEscape(q.query)}%`;
  const scope =
    q.conv !== undefined
      ? sql`m.conv = ${q.conv}`
      : sql`m.conv in (
          select id from conversations
          where user_lo = ${q.userId} or user_hi = ${q.userId} or group_id = any(${param(q.groupIds)}::int[]))`;
  const found = await rows<MessageRow>(
    db,
    // The page first, on messages alone; the file, quote and reactions only for its rows (joined
    // into the scan, the quote's self-join could hash all of messages on every search).
    sql`
with page as (
  select m.* from messages m
  where ${scope}
    and m.text ilike ${pattern}
    and not m.recalled and m.event is null
    and (${q.beforeId ?? null}::bigint is null or m.id < ${q.beforeId ?? null}::bigint)
  order by m.id desc
  limit ${q.limit + 1}
)
select ${MESSAGE_COLUMNS}
from page m ${MESSAGE_JOINS}
order by m.id desc`,
  );
  return { messages: found.slice(0, q.limit).map(rowToMessage), more: found.length > q.limit };
}

/** R-SRCH-4: people whose name contains `query`, among the user's friends and fellow group members. */
export async function searchPeople(
  db: Db,
  userId: number,
  query: string,
  limit: number,
): Promise<{ userId: number; username: string; displayName: string; avatar: string; friend: boolean }[]> {
  const pattern = `%${likeEscape(query)}%`;
  const found = await rows<{
    id: number;
    username: string;
    display_name: string;
    avatar: string;
    friend: boolean | string;
  }>(
    db,
    sql`
with known as (
  select friend_id as id from friendships where user_id = ${userId}
  union
  select o.user_id from group_members mine join group_members o on o.group_id = mine.group_id
  where mine.user_id = ${userId}
)
select u.id, u.username, u.display_name, u.avatar,
  exists (select 1 from friendships f where f.user_id = ${userId} and f.friend_id = u.id) as friend
from users u join known k on k.id = u.id
where u.id <> ${userId} and (u.display_name ilike ${pattern} or u.username ilike ${pattern})
order by u.display_name, u.id
limit ${limit}`,
  );
  return found.map((r) => ({
    userId: r.id,
    username: r.username,
    displayName: r.display_name,
    avatar: r.avatar,
    friend: r.friend === true || r.friend === 't',
  }));
}

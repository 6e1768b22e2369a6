import { parseConv } from '@imw/shared';
import { sql } from 'drizzle-orm';
import { type Db, type PreparedRaw, prepareRaw } from '../../db';
import { APPEND_BATCH_MAX, APPEND_RETRIES } from './limits';
import { pgCode } from './sql-util';
import type { AppendInput, StoredMessage } from './types';

interface Pending {
  msg: AppendInput;
  /** When it was queued (performance.now()): its batch leaves at most `windowMs` after this. */
  queuedMs: number;
  resolve(m: StoredMessage): void;
  reject(e: unknown): void;
}

interface Row {
  ord: number | string;
  id: string;
  conv: string;
  seq: number | string;
  at_ms: number | string;
  duplicate: boolean;
}

const ph = (name: string) => sql.placeholder(name);

/**
 * The append statement (one for a whole batch), inside a single implicit transaction:
 * 1. `dup`: inputs whose (sender, client id) is already stored answer with the stored message
 *    (a LATERAL lookup per input on the unique index messages_sender_client_idx: without the
 *    LIMIT the planner flattens it into a hash join that scans all of messages on every send;
 *    store.test checks the generic plan);
 * 2. `heads`: the rest bump their conversation's `last_seq` by their count, creating the head on
 *    a first message (INSERT .. ON CONFLICT DO UPDATE .. RETURNING). That takes the head's row
 *    lock, so another node's statement on the same conversation waits and then sees the new
 *    value: seqs are gap-free and strictly increasing across nodes. Heads are upserted in id order
 *    so two statements never lock the same heads in opposite orders (no deadlock). The head's
 *    kind and parts come from the canonical id (checked by parseConv before queueing);
 * 3. `numbered` gives the new rows last_seq - n + 1 .. last_seq in input order; `ins` stores them;
 * 4. `own`: each sender's read position moves to their newest new message (R-HIST-5), forward
 *    only: their own words are read. A group event (join/leave line, R-GRP-32) moves nothing. In the same statement, not one more per send;
 * 5. the answer is the new rows and the duplicates, each tagged with its input position (1-based).
 */
const APPEND_SQL = sql`
with input as (
  select * from unnest(${ph('conv')}::text[], ${ph('sender')}::int[], ${ph('client')}::text[],
    ${ph('body')}::text[], ${ph('at')}::bigint[], ${ph('event')}::text[], ${ph('file')}::text[],
    ${ph('reply')}::bigint[])
    with ordinality as t(conv, sender_id, client_id, body, at_ms, event, file_id, reply_seq, ord)
),
dup as (
  select i.ord, m.id, m.conv, m.seq, m."at"
  from input i
  cross join lateral (
    select d.id, d.conv, d.seq, d."at" from messages d
    where d.sender_id = i.sender_id and d.client_id = i.client_id
    -- At most one row (the index is unique); the limit also keeps the subquery from being
    -- flattened into a join, which the planner may run as a hash join over all of messages.
    limit 1
  ) m
  where i.client_id is not null
),
fresh as (
  select i.* from input i where not exists (select 1 from dup d where d.ord = i.ord)
),
counts as (
  select conv, count(*) as n, max(at_ms) as at_ms from fresh group by conv
),
heads as (
  insert into conversations (id, kind, user_lo, user_hi, group_id, last_seq, last_at)
  select conv,
    case when conv like 'd:%' then 'direct' else 'group' end,
    case when conv like 'd:%' then split_part(conv, ':', 2)::int end,
    case when conv like 'd:%' then split_part(conv, ':', 3)::int end,
    case when conv like 'g:%' then split_part(conv, ':', 2)::int end,
    n, to_timestamp(at_ms / 1000.0)
  from counts order by conv
  on conflict (id) do update
    set last_seq = conversations.last_seq + excluded.last_seq,
        last_at = greatest(conversations.last_at, excluded.last_at)
  returning id, last_seq
),
numbered as (
  select f.ord, f.conv, f.sender_id, f.client_id, f.body, f.at_ms, f.event, f.file_id, f.reply_seq,
    h.last_seq - c.n + row_number() over (partition by f.conv order by f.ord) as seq
  from fresh f join counts c on c.conv = f.conv join heads h on h.id = f.conv
),
ins as (
  insert into messages (conv, seq, sender_id, client_id, "at", text, event, file_id, reply_seq)
  select conv, seq, sender_id, client_id, to_timestamp(at_ms / 1000.0), body, event, file_id, reply_seq
  from numbered
  returning id, conv, seq
),
own as (
  insert into read_positions (user_id, conv, seq)
  select sender_id, conv, max(seq) from numbered where event is null group by sender_id, conv
  on conflict (user_id, conv) do update set seq = greatest(read_positions.seq, excluded.seq)
)
select n.ord, ins.id::text as id, ins.conv, ins.seq, n.at_ms, false as duplicate
from ins join numbered n on n.conv = ins.conv and n.seq = ins.seq
union all
select ord, id::text, conv, seq, (extract(epoch from "at") * 1000)::bigint, true from dup`;

/** The statement's text, for tests that explain its plan. */
export const appendStatementForTests = APPEND_SQL;

/**
 * Appends messages with one statement per batch (group commit).
 *
 * A batch leaves `windowMs` after its first message was queued (APPEND_WINDOW_MS), or at once
 * when it is full, and takes every message queued meanwhile: at 100 sends/s one statement per
 * send cost more CPU than the rest of the send path together (bench/README: fan-out with
 * storage), and a statement costs about the same for one row as for ten. Every caller still gets
 * its answer only after the statement committed: stored before acknowledged. With `windowMs` 0
 * the batch is the event-loop turn (setImmediate).
 *
 * At most one statement is in flight per store: messages queued meanwhile go together in the
 * next one. So one sender's messages get seqs in the order they were sent (two statements
 * racing on two connections could swap them), and batches grow with load.
 */
export class AppendBatcher {
  private queue: Pending[] = [];
  private timer: ReturnType<typeof setTimeout> | ReturnType<typeof setImmediate> | null = null;
  private inFlight = false;
  private readonly run: PreparedRaw<Row>;

  constructor(
    db: Db,
    private readonly windowMs = 0,
  ) {
    if (!(windowMs >= 0)) throw new RangeError(`bad append window ${windowMs}`);
    this.run = prepareRaw<Row>(db, 'imw_append_messages', APPEND_SQL);
  }

  append(msg: AppendInput): Promise<StoredMessage> {
    const parsed = parseConv(msg.conv);
    if (!parsed) return Promise.reject(new RangeError(`not a conversation id: ${JSON.stringify(msg.conv)}`));
    if (parsed.kind === 'direct' && msg.senderId !== parsed.lo && msg.senderId !== parsed.hi)
      return Promise.reject(new RangeError(`user ${msg.senderId} is not part of ${msg.conv}`));
    // PostgreSQL text cannot hold U+0000; refused here for this message alone, not the whole batch.
    if (msg.text.includes('\u0000') || msg.clientId?.includes('\u0000'))
      return Promise.reject(new RangeError('text and clientId must not contain U+0000'));
    if (!Number.isSafeInteger(msg.atMs)) return Promise.reject(new RangeError(`bad atMs ${msg.atMs}`));
    if (msg.replySeq !== undefined && !(Number.isSafeInteger(msg.replySeq) && msg.replySeq >= 1))
      return Promise.reject(new RangeError(`bad replySeq ${msg.replySeq}`));
    return new Promise((resolve, reject) => {
      this.queue.push({ msg, queuedMs: performance.now(), resolve, reject });
      if (this.queue.length >= APPEND_BATCH_MAX && this.timer && !this.inFlight) this.flushNow();
      else this.schedule();
    });
  }

  /** Nothing in flight: the next batch leaves when its oldest message's window ends. */
  private schedule(): void {
    if (this.timer || this.inFlight || this.queue.length === 0) return;
    const waitMs = this.windowMs - (performance.now() - (this.queue[0]?.queuedMs ?? 0));
    if (this.windowMs === 0 || waitMs <= 0) {
      // After the turn's other callers have queued.
      this.timer = setImmediate(() => {
        this.timer = null;
        void this.flush();
      });
    } else {
      this.timer = setTimeout(() => {
        this.timer = null;
        void this.flush();
      }, waitMs);
    }
  }

  private flushNow(): void {
    if (this.timer) {
      clearTimeout(this.timer as ReturnType<typeof setTimeout>);
      clearImmediate(this.timer as ReturnType<typeof setImmediate>);
      this.timer = null;
    }
    void this.flush();
  }

  private async flush(): Promise<void> {
    const batch = this.queue.splice(0, APPEND_BATCH_MAX);
    this.inFlight = true;
    try {
      await this.store(batch);
    } finally {
      this.inFlight = false;
      this.schedule();
    }
  }
  /** Stores a batch and settles every promise in it; never throws. */
  private async store(batch: Pending[]): Promise<void> {
    // The same (sender, client id) twice in one batch: the first is stored, the others share its answer.
    const first = new Map<string, Pending>();
    const followers = new Map<Pending, Pending[]>();
    const unique: Pending[] = [];
    for (const p of batch) {
      const key = p.msg.clientId === undefined ? null : `${p.msg.senderId}:${p.msg.clientId}`;
      const leader = key === null ? undefined : first.get(key);
      if (leader) followers.get(leader)?.push(p);
      else {
        if (key !== null) first.set(key, p);
        followers.set(p, []);
        unique.push(p);
      }
    }
    const settle = (p: Pending, r: StoredMessage | { error: unknown }) => {
      const group = [p, ...(followers.get(p) ?? [])];
      group.forEach((q, i) => {
        if ('error' in r) q.reject(r.error);
        else q.resolve(i === 0 ? r : { ...r, duplicate: true });
      });
    };

    try {
      const results = await this.withRetries(unique.map((p) => p.msg));
      for (const [i, p] of unique.entries())
        settle(p, results[i] ?? { error: new Error('append returned no row') });
    } catch (e) {
      // A foreign key or data error belongs to one message (a user or group deleted meanwhile):
      // each message alone, so only that one fails. Anything else (database down) fails them all.
      const code = pgCode(e);
      const perMessage = code === '23503' || code?.startsWith('22') === true;
      if (!perMessage || unique.length === 1) {
        for (const p of unique) settle(p, { error: e });
        return;
      }
      for (const p of unique) {
        try {
          const [r] = await this.withRetries([p.msg]);
          settle(p, r ?? { error: new Error('append returned no row') });
        } catch (err) {
          settle(p, { error: err });
        }
      }
    }
  }

  /**
   * A deadlock (40P01) or a unique violation (23505: the same client id stored meanwhile by
   * another node, invisible to this statement's snapshot) leaves nothing behind: the statement
   * runs again and then sees the committed row as a duplicate.
   */
  private async withRetries(msgs: AppendInput[]): Promise<StoredMessage[]> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.statement(msgs);
      } catch (e) {
        const code = pgCode(e);
        if (attempt >= APPEND_RETRIES || (code !== '40P01' && code !== '23505')) throw e;
      }
    }
  }

  private async statement(msgs: AppendInput[]): Promise<StoredMessage[]> {
    const n = msgs.length;
    const conv: string[] = new Array(n);
    const sender: number[] = new Array(n);
    const client: (string | null)[] = new Array(n);
    const body: string[] = new Array(n);
    const at: number[] = new Array(n);
    const event: (string | null)[] = new Array(n);
    const file: (string | null)[] = new Array(n);
    const reply: (number | null)[] = new Array(n);
    for (let i = 0; i < n; i++) {
      const m = msgs[i] as AppendInput;
      conv[i] = m.conv;
      sender[i] = m.senderId;
      client[i] = m.clientId ?? null;
      body[i] = m.text;
      at[i] = m.atMs;
      event[i] = m.event ?? null;
      file[i] = m.fileId ?? null;
      reply[i] = m.replySeq ?? null;
    }
    const found = await this.run({ conv, sender, client, body, at, event, file, reply });
    const out: StoredMessage[] = new Array(n);
    for (const r of found) {
      out[Number(r.ord) - 1] = {
        messageId: String(r.id),
        conv: r.conv,
        seq: Number(r.seq),
        atMs: Number(r.at_ms),
        duplicate: r.duplicate,
      };
    }
    return out;
  }
}

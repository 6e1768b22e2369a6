import { sql } from 'drizzle-orm';
import type { Db } from '../../db';
import { param, rows } from './sql-util';

/** A user's published positions in one conversation (R-RCP-*). */
export interface PublishedReceipt {
  userId: number;
  deliveredSeq: number;
  readSeq: number;
}

interface ReceiptRow {
  user_id: number;
  delivered_seq: number | string;
  read_seq: number | string;
}

const toReceipt = (r: ReceiptRow): PublishedReceipt => ({
  userId: r.user_id,
  deliveredSeq: Number(r.delivered_seq),
  readSeq: Number(r.read_seq),
});

function position(name: string, v: number): number {
  if (!Number.isSafeInteger(v) || v < 0) throw new RangeError(`${name} must be an integer >= 0`);
  return v;
}

/**
 * Moves the user's published positions forward (never back, never past the last message; read
 * implies delivered). One statement; answers the row after the change, or null when nothing moved
 * (or the conversation has no messages), so the caller tells nobody about a no-op.
 */
export async function publishReceipt(
  db: Db,
  userId: number,
  conv: string,
  p: { deliveredSeq: number; readSeq: number },
): Promise<PublishedReceipt | null> {
  const read = position('readSeq', p.readSeq);
  const delivered = Math.max(position('deliveredSeq', p.deliveredSeq), read);
  const [row] = await rows<ReceiptRow>(
    db,
    sql`
insert into receipts (user_id, conv, delivered_seq, read_seq)
select ${userId}, c.id, least(${delivered}::bigint, c.last_seq), least(${read}::bigint, c.last_seq)
from conversations c where c.id = ${conv}
on conflict (conv, user_id) do update
  set delivered_seq = greatest(receipts.delivered_seq, excluded.delivered_seq),
      read_seq = greatest(receipts.read_seq, excluded.read_seq)
  where receipts.delivered_seq < excluded.delivered_seq or receipts.read_seq < excluded.read_seq
returning user_id, delivered_seq, read_seq`,
  );
  if (!row) return null;
  const r = toReceipt(row);
  return r.deliveredSeq === 0 && r.readSeq === 0 ? null : r;
}

/** The published positions of these users in a conversation (absent: never published). */
export async function receiptsOf(
  db: Db,
  conv: string,
  userIds: readonly number[],
): Promise<PublishedReceipt[]> {
  if (userIds.length === 0) return [];
  const found = await rows<ReceiptRow>(
    db,
    sql`
select user_id, delivered_seq, read_seq from receipts
where conv = ${conv} and user_id = any(${param(userIds)}::int[])
order by user_id`,
  );
  return found.map(toReceipt);
}

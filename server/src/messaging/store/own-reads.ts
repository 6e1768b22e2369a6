import { sql } from 'drizzle-orm';
import type { Db } from '../../db';
import { param } from './sql-util';

/**
 * The sender's own read position moves to each message they send (their own words are read).
 * One statement per send would double the statements per message (bench/README: fan-out with
 * storage), so the moves of one event-loop turn go as ONE upsert, like the appends: per
 * (user, conversation) only the highest seq, forward only.
 */
export class OwnReadBatcher {
  private pending = new Map<string, { userId: number; conv: string; seq: number }>();
  private scheduled = false;

  constructor(private readonly db: Db) {}

  /** Best effort: a lost move only leaves the badge counting the user's own message as read later. */
  moveTo(userId: number, conv: string, seq: number): void {
    const key = `${userId}|${conv}`;
    const prev = this.pending.get(key);
    if (!prev || prev.seq < seq) this.pending.set(key, { userId, conv, seq });
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      void this.flush();
    });
  }

  private async flush(): Promise<void> {
    const batch = [...this.pending.values()];
    this.pending = new Map();
    if (!batch.length) return;
    await this.db
      .execute(
        sql`
insert into read_positions (user_id, conv, seq)
select t.user_id, t.conv, t.seq
from unnest(${param(batch.map((b) => b.userId))}::int[], ${param(batch.map((b) => b.conv))}::text[],
            ${param(batch.map((b) => b.seq))}::bigint[]) as t(user_id, conv, seq)
join conversations c on c.id = t.conv
on conflict (user_id, conv) do update set seq = greatest(read_positions.seq, excluded.seq)`,
      )
      .catch(() => undefined);
  }
}

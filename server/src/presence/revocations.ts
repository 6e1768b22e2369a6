import { eq, lt } from 'drizzle-orm';
import type { Clock, Logger } from '../core';
import { type Db, tables } from '../db';

/**
 * Sessions that ended (logout, timeout, grace over, taken over, reaped), until their tickets would
 * have expired: their resume tickets are void (R-RES-2, R-RES-4). Kept in the database that every
 * node shares, so a ticket of an ended session stays void after a restart and on every other node;
 * a memory set in front answers this node's own revocations without a query.
 */
export class Revocations {
  private readonly local = new Map<string, number>();
  private lastPurgeMs = 0;

  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    /** How long a revocation must last: as long as the longest-lived ticket. */
    private readonly ttlMs: number,
    private readonly log: Logger,
    private readonly purgeEveryMs = 60_000,
    /** R-SEC-34: this node remembers at most this many (oldest forgotten first); the table has all. */
    private readonly maxLocal = 100_000,
  ) {}

  get localSize(): number {
    return this.local.size;
  }

  private remember(key: string, expiresAtMs: number): void {
    this.local.delete(key);
    this.local.set(key, expiresAtMs);
    while (this.local.size > this.maxLocal) {
      const oldest = this.local.keys().next().value as string;
      this.local.delete(oldest);
    }
  }

  /**
   * Never throws: while the database is away the revocation holds on this node only (and the
   * warning says so); the ticket still expires on its own.
   */
  async revoke(sessionId: string, expiresAtMs = this.clock.now() + this.ttlMs): Promise<void> {
    this.remember(sessionId, expiresAtMs);
    try {
      await this.db
        .insert(tables.endedSessions)
        .values({ sessionId, expiresAt: new Date(expiresAtMs) })
        .onConflictDoNothing();
    } catch (err) {
      this.log.warn({ err, sessionId }, 'could not record the end of a session; it holds on this node only');
    }
  }

  /**
   * R-SEC-30: records `key` (a ticket generation) until `expiresAtMs`, atomically across nodes:
   * true only for the first claim. Throws when the database cannot answer, so a resume never
   * passes on a guess.
   */
  async claim(key: string, expiresAtMs: number): Promise<boolean> {
    if (this.local.has(key)) return false;
    const rows = await this.db
      .insert(tables.endedSessions)
      .values({ sessionId: key, expiresAt: new Date(expiresAtMs) })
      .onConflictDoNothing()
      .returning({ sessionId: tables.endedSessions.sessionId });
    this.remember(key, expiresAtMs);
    return rows.length > 0;
  }

  revokedHere(sessionId: string): boolean {
    return this.local.has(sessionId);
  }

  /** Throws when the database cannot answer: a resume must not pass on a guess (UNAVAILABLE). */
  async isRevoked(sessionId: string): Promise<boolean> {
    if (this.local.has(sessionId)) return true;
    const rows = await this.db
      .select({ expiresAt: tables.endedSessions.expiresAt })
      .from(tables.endedSessions)
      .where(eq(tables.endedSessions.sessionId, sessionId))
      .limit(1);
    return rows.length > 0;
  }

  /** Forgets expired revocations: this node's at every call, the table's once a minute. */
  sweep(): void {
    const now = this.clock.now();
    for (const [id, exp] of this.local) if (exp < now) this.local.delete(id);
    if (now - this.lastPurgeMs < this.purgeEveryMs) return;
    this.lastPurgeMs = now;
    this.db
      .delete(tables.endedSessions)
      .where(lt(tables.endedSessions.expiresAt, new Date(now)))
      .catch((err: unknown) => this.log.warn({ err }, 'purging expired session revocations failed'));
  }
}

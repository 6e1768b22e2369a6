import { z } from 'zod';

/**
 * Conversation ids (durable messaging, #13): `d:<lo>:<hi>` for the two users of a 1:1
 * conversation (lo < hi, so both people name it the same way) and `g:<groupId>` for a group.
 * One string key keeps storage, cursors and wire fields uniform for both kinds.
 */

export type ParsedConv = { kind: 'direct'; lo: number; hi: number } | { kind: 'group'; groupId: number };

/** Longest id: `d:` + two 10-digit ids + `:` is 23; 40 leaves room without allowing junk. */
export const CONV_ID_MAX = 40;

/** Ids are positive int4 (PostgreSQL serial); the same bound as the `userId` schema. */
const MAX_ID = 2 ** 31 - 1;
const isId = (n: number) => Number.isInteger(n) && n >= 1 && n <= MAX_ID;

/** Decimal without sign or leading zeros, so each conversation has exactly one spelling. */
const DIRECT_RE = /^d:([1-9][0-9]{0,9}):([1-9][0-9]{0,9})$/;
const GROUP_RE = /^g:([1-9][0-9]{0,9})$/;

export function directConv(a: number, b: number): string {
  if (!isId(a) || !isId(b) || a === b) throw new RangeError(`no direct conversation between ${a} and ${b}`);
  return a < b ? `d:${a}:${b}` : `d:${b}:${a}`;
}

export function groupConv(groupId: number): string {
  if (!isId(groupId)) throw new RangeError(`bad group id ${groupId}`);
  return `g:${groupId}`;
}

/** The parts of a conversation id, or null for anything that is not a canonical id. */
export function parseConv(s: string): ParsedConv | null {
  if (s.length > CONV_ID_MAX) return null;
  const d = DIRECT_RE.exec(s);
  if (d) {
    const lo = Number(d[1]);
    const hi = Number(d[2]);
    return isId(lo) && isId(hi) && lo < hi ? { kind: 'direct', lo, hi } : null;
  }
  const g = GROUP_RE.exec(s);
  if (g) {
    const groupId = Number(g[1]);
    return isId(groupId) ? { kind: 'group', groupId } : null;
  }
  return null;
}

/** The two users of a direct conversation, or null for a group or a malformed id. */
export function directParticipants(s: string): readonly [number, number] | null {
  const p = parseConv(s);
  return p?.kind === 'direct' ? [p.lo, p.hi] : null;
}

/** A conversation id on the wire: only canonical ids pass (parse at the edge). */
export const convId = z
  .string()
  .max(CONV_ID_MAX)
  .refine((s) => parseConv(s) !== null, { message: 'not a conversation id (d:<lo>:<hi> or g:<groupId>)' });

/** A client-chosen message id that makes sends idempotent: 1..64 chars of [A-Za-z0-9_-]. */
export const CLIENT_ID_RE = /^[A-Za-z0-9_-]{1,64}$/;
export const clientMessageId = z.string().regex(CLIENT_ID_RE, 'clientId: 1-64 chars of A-Z a-z 0-9 _ -');

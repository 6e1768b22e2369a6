import { directConv, groupConv, parseConv } from '@imw/shared';

/** The page's name for a conversation (routes, stores): `f:<userId>` for a friend, `g:<groupId>` for a group. */
export type ConversationKey = `f:${number}` | `g:${number}`;

export const friendKey = (userId: number): ConversationKey => `f:${userId}`;
export const groupKey = (groupId: number): ConversationKey => `g:${groupId}`;

export function parseConversationKey(key: string): { kind: 'friend' | 'group'; id: number } | null {
  const m = /^([fg]):([1-9][0-9]{0,9})$/.exec(key);
  if (!m?.[1] || !m[2]) return null;
  return { kind: m[1] === 'f' ? 'friend' : 'group', id: Number(m[2]) };
}

/** The server's conversation id (`d:<lo>:<hi>`, `g:<groupId>`) of a key, seen by user `me`. */
export function convOf(me: number, key: ConversationKey): string {
  const p = parseConversationKey(key);
  if (!p) throw new RangeError(`bad conversation key ${key}`);
  return p.kind === 'friend' ? directConv(me, p.id) : groupConv(p.id);
}

/** The key of a server conversation id, or null when it is malformed or not `me`'s. */
export function keyOf(me: number, conv: string): ConversationKey | null {
  const p = parseConv(conv);
  if (!p) return null;
  if (p.kind === 'group') return groupKey(p.groupId);
  if (p.lo !== me && p.hi !== me) return null;
  return friendKey(p.lo === me ? p.hi : p.lo);
}

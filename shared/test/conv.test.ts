import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  CONV_ID_MAX,
  clientMessageId,
  convId,
  directConv,
  directParticipants,
  groupConv,
  parseConv,
} from '../src';

const id = fc.integer({ min: 1, max: 2 ** 31 - 1 });

describe('conversation ids', () => {
  it('a direct conversation has one id whichever side names it, lower user first', () => {
    expect(directConv(7, 3)).toBe('d:3:7');
    expect(directConv(3, 7)).toBe('d:3:7');
    fc.assert(
      fc.property(id, id, (a, b) => {
        fc.pre(a !== b);
        const c = directConv(a, b);
        expect(c).toBe(directConv(b, a));
        expect(parseConv(c)).toEqual({ kind: 'direct', lo: Math.min(a, b), hi: Math.max(a, b) });
        expect(directParticipants(c)).toEqual([Math.min(a, b), Math.max(a, b)]);
        expect(c.length).toBeLessThanOrEqual(CONV_ID_MAX);
        expect(convId.safeParse(c).success).toBe(true);
      }),
    );
  });

  it('a group conversation round-trips and has no direct participants', () => {
    fc.assert(
      fc.property(id, (g) => {
        expect(parseConv(groupConv(g))).toEqual({ kind: 'group', groupId: g });
        expect(directParticipants(groupConv(g))).toBeNull();
      }),
    );
  });

  it('refuses to build ids for impossible parties', () => {
    for (const [a, b] of [
      [1, 1],
      [0, 2],
      [-1, 2],
      [1.5, 2],
      [1, 2 ** 31],
      [Number.NaN, 2],
    ] as const) {
      expect(() => directConv(a, b)).toThrow(RangeError);
    }
    for (const g of [0, -3, 2.5, 2 ** 31]) expect(() => groupConv(g)).toThrow(RangeError);
  });

  it('parses only canonical ids: one spelling per conversation', () => {
    const bad = [
      '',
      'd:',
      'd:1',
      'd:2:1', // not lo < hi
      'd:1:1',
      'd:01:2', // leading zero
      'd:0:2',
      'd:-1:2',
      'd:1:2:3',
      'd:1: 2',
      ' d:1:2',
      'd:1:2\n',
      'D:1:2',
      'g:',
      'g:0',
      'g:007',
      'g:1.5',
      'g:2147483648', // past int4
      'd:1:2147483648',
      'x:1',
      `g:${'9'.repeat(50)}`,
    ];
    for (const s of bad) {
      expect(parseConv(s), s).toBeNull();
      expect(convId.safeParse(s).success, s).toBe(false);
    }
    expect(parseConv('g:2147483647')).toEqual({ kind: 'group', groupId: 2147483647 });
  });

  it('no string outside the canonical forms parses (property)', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 45 }), (s) => {
        const p = parseConv(s);
        if (p === null) return;
        expect(p.kind === 'direct' ? directConv(p.lo, p.hi) : groupConv(p.groupId)).toBe(s);
      }),
    );
  });

  it('client message ids: 1..64 chars of A-Z a-z 0-9 _ -', () => {
    for (const ok of ['a', 'A-z_09', 'x'.repeat(64)])
      expect(clientMessageId.safeParse(ok).success).toBe(true);
    for (const bad of ['', 'x'.repeat(65), 'a b', 'é', 'a/b', 'a\u0000']) {
      expect(clientMessageId.safeParse(bad).success, bad).toBe(false);
    }
  });
});

import { z } from 'zod';

/** Schema helpers shared by every packet table. */

export const bytes = (minBytes: number, maxBytes: number) =>
  z.instanceof(Uint8Array).refine((b) => b.byteLength >= minBytes && b.byteLength <= maxBytes, {
    message: `expected ${minBytes}..${maxBytes} bytes`,
  });

/** Usernames are lower-case ASCII so that "Alice" and "alice" are one account. */
export const USERNAME_RE = /^[a-z0-9][a-z0-9_.-]{2,31}$/;
export const username = z.string().regex(USERNAME_RE, 'username: 3-32 chars of a-z 0-9 _ . - (lower case)');

export const userId = z
  .number()
  .int()
  .positive()
  .max(2 ** 31 - 1);
/**
 * Text the server stores or queries with: PostgreSQL text cannot hold U+0000, so a NUL is refused
 * here (BAD_REQUEST) instead of failing in the database (INTERNAL). Found by scripts/fuzz/run.ts.
 */
export const storableText = (max: number) =>
  z
    .string()
    .max(max)
    .refine((s) => !s.includes('\u0000'), { message: 'must not contain U+0000' });
export const displayName = z
  .string()
  .trim()
  .min(1)
  .max(64)
  .refine((s) => !s.includes('\u0000'), { message: 'must not contain U+0000' });
export const bio = storableText(280);
export const AVATARS = ['fox', 'cat', 'owl', 'bear', 'frog', 'panda', 'robot', 'ghost'] as const;
export const avatar = z.enum(AVATARS);

export const empty = z.object({}).strict();

export interface RequestDef<P extends z.ZodType = z.ZodType, R extends z.ZodType = z.ZodType> {
  /** Wire type id (u16), unique across requests. */
  readonly id: number;
  /** True for the few commands allowed before login (register, challenge, login, resume). */
  readonly public: boolean;
  readonly params: P;
  readonly result: R;
}

export interface EventDef<B extends z.ZodType = z.ZodType> {
  /** Wire type id (u16), unique across events. */
  readonly id: number;
  readonly body: B;
}

export const request = <P extends z.ZodType, R extends z.ZodType>(
  id: number,
  params: P,
  result: R,
  opts: { public?: boolean } = {},
): RequestDef<P, R> => ({ id, params, result, public: opts.public ?? false });

export const event = <B extends z.ZodType>(id: number, body: B): EventDef<B> => ({ id, body });

import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { pack, unpack } from '@imw/shared';
import { z } from 'zod';
import type { TicketKey } from './ticket-keys';

/**
 * Resume tickets: the session's identity and resume key sealed with a key every node shares
 * (TICKET_KEYS or the data folder's key file, never the database: R-SEC-31), so any node can
 * resume a session after a restart or a redirect. AES-256-GCM, random nonce, the key id as
 * associated data; `<key id>.base64url(nonce ‖ ciphertext ‖ tag)`.
 */
const ticketBody = z.object({
  u: z.number().int(),
  s: z.string(),
  k: z.instanceof(Uint8Array),
  e: z.number(),
  m: z.enum(['normal', 'scene']),
  c: z.string().nullable(),
  o: z.string().optional(),
  g: z.number().int().nonnegative(),
});

export interface TicketData {
  userId: number;
  sessionId: string;
  resumeKey: Uint8Array;
  expiresAtMs: number;
  mode: 'normal' | 'scene';
  sceneId: string | null;
  /** Set on redirect tickets: an id that may be redeemed once, cluster-wide. */
  once?: string | undefined;
  /** R-SEC-30: the session's ticket generation; each can be redeemed once. */
  generation: number;
}

export class TicketSealer {
  private readonly sealing: TicketKey;
  private readonly byId: Map<string, Uint8Array>;

  /** The first key seals; every key opens (rotation). */
  constructor(keys: readonly TicketKey[]) {
    const [first] = keys;
    if (!first) throw new Error('no ticket key');
    for (const k of keys) if (k.key.byteLength !== 32) throw new Error('ticket key must be 32 bytes');
    this.sealing = first;
    this.byId = new Map(keys.map((k) => [k.id, k.key]));
  }

  seal(t: TicketData): string {
    const iv = randomBytes(12);
    const c = createCipheriv('aes-256-gcm', this.sealing.key, iv);
    c.setAAD(Buffer.from(this.sealing.id, 'utf8'));
    const body = pack({
      u: t.userId,
      s: t.sessionId,
      k: t.resumeKey,
      e: t.expiresAtMs,
      m: t.mode,
      c: t.sceneId,
      ...(t.once ? { o: t.once } : {}),
      g: t.generation,
    });
    const ct = Buffer.concat([c.update(body), c.final(), c.getAuthTag()]);
    return `${this.sealing.id}.${Buffer.concat([iv, ct]).toString('base64url')}`;
  }

  /** Null for anything forged, corrupted or malformed; expiry is the caller's check. */
  open(token: string): TicketData | null {
    const dot = token.indexOf('.');
    const id = token.slice(0, dot);
    const key = dot > 0 ? this.byId.get(id) : undefined;
    if (!key) return null;
    const raw = Buffer.from(token.slice(dot + 1), 'base64url');
    if (raw.byteLength < 12 + 16 + 1) return null;
    try {
      const d = createDecipheriv('aes-256-gcm', key, raw.subarray(0, 12));
      d.setAAD(Buffer.from(id, 'utf8'));
      d.setAuthTag(raw.subarray(raw.byteLength - 16));
      const plain = Buffer.concat([d.update(raw.subarray(12, raw.byteLength - 16)), d.final()]);
      const b = ticketBody.safeParse(unpack(plain));
      if (!b.success) return null;
      const v = b.data;
      return {
        userId: v.u,
        sessionId: v.s,
        resumeKey: v.k,
        expiresAtMs: v.e,
        mode: v.m,
        sceneId: v.c,
        once: v.o,
        generation: v.g,
      };
    } catch {
      return null;
    }
  }
}

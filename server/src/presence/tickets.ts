import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { pack, unpack } from '@imw/shared';
import { z } from 'zod';

/**
 * Resume tickets: the session's identity and resume key sealed with a key every node shares
 * (kept in the database), so any node can resume a session after a restart or a redirect
 * without a server-side lookup. AES-256-GCM, random nonce; base64url(nonce ‖ ciphertext ‖ tag).
 */
const ticketBody = z.object({
  u: z.number().int(),
  s: z.string(),
  k: z.instanceof(Uint8Array),
  e: z.number(),
  m: z.enum(['normal', 'scene']),
  c: z.string().nullable(),
  o: z.string().optional(),
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
}

export class TicketSealer {
  constructor(private readonly key: Uint8Array) {
    if (key.byteLength !== 32) throw new Error('ticket key must be 32 bytes');
  }

  seal(t: TicketData): string {
    const iv = randomBytes(12);
    const c = createCipheriv('aes-256-gcm', this.key, iv);
    const body = pack({
      u: t.userId,
      s: t.sessionId,
      k: t.resumeKey,
      e: t.expiresAtMs,
      m: t.mode,
      c: t.sceneId,
      ...(t.once ? { o: t.once } : {}),
    });
    const ct = Buffer.concat([c.update(body), c.final(), c.getAuthTag()]);
    return Buffer.concat([iv, ct]).toString('base64url');
  }

  /** Null for anything forged, corrupted or malformed; expiry is the caller's check. */
  open(token: string): TicketData | null {
    let raw: Buffer;
    try {
      raw = Buffer.from(token, 'base64url');
    } catch {
      return null;
    }
    if (raw.byteLength < 12 + 16 + 1) return null;
    try {
      const d = createDecipheriv('aes-256-gcm', this.key, raw.subarray(0, 12));
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
      };
    } catch {
      return null;
    }
  }
}

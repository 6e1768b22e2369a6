import { createCipheriv, createDecipheriv } from 'node:crypto';
import { GCM_TAG_BYTES, type SyncFrameCipher } from '../protocol/frame';

/**
 * AES-256-GCM for one direction on node:crypto: synchronous and ~10x cheaper per call than
 * WebCrypto in Node. The one copy for the server's gateway, the SDK's Node path and the bench.
 * Nonce = 8 zero bytes ‖ u32 counter, as in ./session.ts (the WebCrypto side). Node-only: reach
 * it through `@imw/shared/sdk/node`, never the browser entry.
 */
export class NodeGcm implements SyncFrameCipher {
  private readonly iv = Buffer.alloc(12);
  private readonly key: Buffer;

  constructor(key: Uint8Array) {
    this.key = Buffer.isBuffer(key) ? key : Buffer.from(key);
  }

  /** Returns ciphertext ‖ tag. */
  seal(counter: number, aad: Uint8Array, plaintext: Uint8Array): Buffer {
    this.iv.writeUInt32BE(counter, 8);
    const c = createCipheriv('aes-256-gcm', this.key, this.iv);
    c.setAAD(aad);
    return Buffer.concat([c.update(plaintext), c.final(), c.getAuthTag()]);
  }

  /** Returns the plaintext, or null when the tag does not verify. */
  open(counter: number, aad: Uint8Array, sealed: Uint8Array): Buffer | null {
    if (sealed.byteLength < GCM_TAG_BYTES) return null;
    this.iv.writeUInt32BE(counter, 8);
    const d = createDecipheriv('aes-256-gcm', this.key, this.iv);
    d.setAAD(aad);
    d.setAuthTag(sealed.subarray(sealed.byteLength - GCM_TAG_BYTES));
    try {
      return Buffer.concat([d.update(sealed.subarray(0, sealed.byteLength - GCM_TAG_BYTES)), d.final()]);
    } catch {
      return null;
    }
  }
}

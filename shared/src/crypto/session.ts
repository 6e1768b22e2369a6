import type { Bytes } from './bytes';
import { utf8 } from './bytes';
import { sha256 } from './scram';

/**
 * The encrypted session (docs/PROTOCOL.md §Session keys), WebCrypto side.
 * X25519 ephemeral keys → shared secret → HKDF-SHA256(salt = SHA-256(auth message)) → one
 * AES-256-GCM key per direction. Nonce = 8 zero bytes ‖ u32 frame counter (big endian).
 */
const subtle = () => globalThis.crypto.subtle;
const buf = (b: Uint8Array) => b as Uint8Array<ArrayBuffer>;

export const HKDF_INFO_C2S = 'imw v1 c2s';
export const HKDF_INFO_S2C = 'imw v1 s2c';
export const HKDF_INFO_RESUME = 'imw v1 resume';

export interface EphemeralKeyPair {
  privateKey: CryptoKey;
  publicKey: Bytes;
}

export async function generateEphemeral(): Promise<EphemeralKeyPair> {
  const pair = (await subtle().generateKey({ name: 'X25519' }, true, ['deriveBits'])) as CryptoKeyPair;
  const raw = new Uint8Array(await subtle().exportKey('raw', pair.publicKey));
  return { privateKey: pair.privateKey, publicKey: raw };
}

export async function sharedSecret(own: EphemeralKeyPair, peerPublic: Uint8Array): Promise<Bytes> {
  const peer = await subtle().importKey('raw', buf(peerPublic), { name: 'X25519' }, false, []);
  return new Uint8Array(await subtle().deriveBits({ name: 'X25519', public: peer }, own.privateKey, 256));
}

export async function hkdf(ikm: Uint8Array, salt: Uint8Array, info: string, bytes = 32): Promise<Bytes> {
  const k = await subtle().importKey('raw', buf(ikm), 'HKDF', false, ['deriveBits']);
  const bits = await subtle().deriveBits(
    { name: 'HKDF', hash: 'SHA-256', salt: buf(salt), info: buf(utf8(info)) },
    k,
    bytes * 8,
  );
  return new Uint8Array(bits);
}

export interface SessionKeyMaterial {
  c2s: Uint8Array;
  s2c: Uint8Array;
  resume: Uint8Array;
}

export async function deriveSessionKeys(secret: Uint8Array, authMsg: string): Promise<SessionKeyMaterial> {
  const salt = await sha256(utf8(authMsg));
  const [c2s, s2c, resume] = await Promise.all([
    hkdf(secret, salt, HKDF_INFO_C2S),
    hkdf(secret, salt, HKDF_INFO_S2C),
    hkdf(secret, salt, HKDF_INFO_RESUME),
  ]);
  return { c2s, s2c, resume };
}

export function gcmNonce(counter: number): Bytes {
  const n = new Uint8Array(12);
  new DataView(n.buffer).setUint32(8, counter);
  return n;
}

/** One direction of an AES-256-GCM channel on WebCrypto (async, so callers keep order). */
export class SubtleGcm {
  private constructor(private readonly key: CryptoKey) {}

  static async create(raw: Uint8Array): Promise<SubtleGcm> {
    const key = await subtle().importKey('raw', buf(raw), 'AES-GCM', false, ['encrypt', 'decrypt']);
    return new SubtleGcm(key);
  }

  async seal(counter: number, aad: Uint8Array, plaintext: Uint8Array): Promise<Bytes> {
    const ct = await subtle().encrypt(
      { name: 'AES-GCM', iv: buf(gcmNonce(counter)), additionalData: buf(aad) },
      this.key,
      buf(plaintext),
    );
    return new Uint8Array(ct);
  }

  /** Rejects when the tag does not verify. */
  async open(counter: number, aad: Uint8Array, sealed: Uint8Array): Promise<Bytes> {
    const pt = await subtle().decrypt(
      { name: 'AES-GCM', iv: buf(gcmNonce(counter)), additionalData: buf(aad) },
      this.key,
      buf(sealed),
    );
    return new Uint8Array(pt);
  }
}

import { createHmac, createPublicKey, diffieHellman, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { HKDF_INFO_C2S, HKDF_INFO_RESUME, HKDF_INFO_S2C } from '@imw/shared';
import { sha256 } from './scram';

/**
 * X25519 and HKDF on node:crypto, matching shared/src/crypto/session.ts byte for byte.
 *
 * Raw X25519 keys cross the KeyObject boundary as JWK (`x` is the raw key in base64url): on
 * OpenSSL 3 the DER/SPKI encoder and decoder cost ≈ 80 µs each, JWK ≈ 1–6 µs, and the key
 * material is the same (the schema has already checked the peer key is 32 bytes).
 */
export function generateX25519(): { privateKey: KeyObject; publicKey: Buffer } {
  const pair = generateKeyPairSync('x25519');
  const { x } = pair.publicKey.export({ format: 'jwk' });
  if (!x) throw new Error('X25519 public key exported without x');
  return { privateKey: pair.privateKey, publicKey: Buffer.from(x, 'base64url') };
}

export function x25519Shared(privateKey: KeyObject, peerRaw: Uint8Array): Buffer {
  const publicKey = createPublicKey({
    key: { kty: 'OKP', crv: 'X25519', x: Buffer.from(peerRaw).toString('base64url') },
    format: 'jwk',
  });
  return diffieHellman({ privateKey, publicKey });
}

export interface SessionKeys {
  c2s: Buffer;
  s2c: Buffer;
  resume: Buffer;
}

const ONE = Buffer.of(1);

/**
 * HKDF-SHA256 (RFC 5869) of one secret into three 32-byte keys. 32 bytes is one SHA-256 block of
 * output, so each key is T(1) = HMAC(PRK, info ‖ 0x01) over one shared PRK = HMAC(salt, secret):
 * the same bytes as three `hkdfSync` calls (test/accounts/keys.test.ts), with one extract instead
 * of three and no KeyObject per call.
 */
export function deriveSessionKeys(secret: Uint8Array, authMsg: string): SessionKeys {
  const salt = sha256(Buffer.from(authMsg, 'utf8'));
  const prk = createHmac('sha256', salt).update(secret).digest();
  const k = (info: string) => createHmac('sha256', prk).update(info, 'utf8').update(ONE).digest();
  return { c2s: k(HKDF_INFO_C2S), s2c: k(HKDF_INFO_S2C), resume: k(HKDF_INFO_RESUME) };
}

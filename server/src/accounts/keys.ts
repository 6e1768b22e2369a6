import { createPublicKey, diffieHellman, generateKeyPairSync, hkdfSync, type KeyObject } from 'node:crypto';
import { HKDF_INFO_C2S, HKDF_INFO_RESUME, HKDF_INFO_S2C } from '@imw/shared';
import { sha256 } from './scram';

/** X25519 and HKDF on node:crypto, matching shared/src/crypto/session.ts byte for byte. */
const X25519_SPKI_PREFIX = Buffer.from('302a300506032b656e032100', 'hex');

export function generateX25519(): { privateKey: KeyObject; publicKey: Buffer } {
  const pair = generateKeyPairSync('x25519');
  const der = pair.publicKey.export({ format: 'der', type: 'spki' });
  return { privateKey: pair.privateKey, publicKey: der.subarray(der.length - 32) };
}

export function x25519Shared(privateKey: KeyObject, peerRaw: Uint8Array): Buffer {
  const publicKey = createPublicKey({
    key: Buffer.concat([X25519_SPKI_PREFIX, peerRaw]),
    format: 'der',
    type: 'spki',
  });
  return diffieHellman({ privateKey, publicKey });
}

export interface SessionKeys {
  c2s: Buffer;
  s2c: Buffer;
  resume: Buffer;
}

export function deriveSessionKeys(secret: Uint8Array, authMsg: string): SessionKeys {
  const salt = sha256(Buffer.from(authMsg, 'utf8'));
  const k = (info: string) => Buffer.from(hkdfSync('sha256', secret, salt, info, 32));
  return { c2s: k(HKDF_INFO_C2S), s2c: k(HKDF_INFO_S2C), resume: k(HKDF_INFO_RESUME) };
}

import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { type AuthMessageParts, authMessage as sharedAuthMessage } from '@imw/shared';

/**
 * Server side of SCRAM-SHA-256 (RFC 5802 / RFC 7677) on node:crypto: the server never runs
 * PBKDF2, it only checks a proof against StoredKey and signs with ServerKey.
 */
export const authMessage = (p: AuthMessageParts): string => sharedAuthMessage(p);

export const hmac = (key: Uint8Array, data: string | Uint8Array): Buffer =>
  createHmac('sha256', key).update(data).digest();

export const sha256 = (data: Uint8Array): Buffer => createHash('sha256').update(data).digest();

/**
 * RFC 5802 §3: ClientSignature = HMAC(StoredKey, AuthMessage); ClientKey = proof XOR signature;
 * valid when H(ClientKey) == StoredKey.
 */
export function verifyClientProof(storedKey: Uint8Array, authMsg: string, proof: Uint8Array): boolean {
  if (proof.byteLength !== 32 || storedKey.byteLength !== 32) return false;
  const sig = hmac(storedKey, authMsg);
  const clientKey = Buffer.alloc(32);
  for (let i = 0; i < 32; i++) clientKey[i] = proof[i]! ^ sig[i]!;
  return timingSafeEqual(sha256(clientKey), storedKey);
}

export const serverSignature = (serverKey: Uint8Array, authMsg: string): Buffer => hmac(serverKey, authMsg);

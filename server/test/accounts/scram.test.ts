import { createHash, createHmac, pbkdf2Sync } from 'node:crypto';
import { fromBase64, toBase64 } from '@imw/shared';
import { describe, expect, it } from 'vitest';
import { RFC7677 } from '../../../shared/test/fixtures/rfc7677';
import { authMessage, serverSignature, verifyClientProof } from '../../src/accounts/session/scram';

describe('SCRAM-SHA-256 on node:crypto (server side)', () => {
  const salt = fromBase64(RFC7677.salt);
  const salted = pbkdf2Sync(RFC7677.password, salt, RFC7677.iterations, 32, 'sha256');
  const clientKey = createHmac('sha256', salted).update('Client Key').digest();
  const storedKey = createHash('sha256').update(clientKey).digest();
  const serverKey = createHmac('sha256', salted).update('Server Key').digest();
  const am = authMessage({
    username: RFC7677.username,
    clientNonce: RFC7677.clientNonce,
    nonce: RFC7677.nonce,
    salt,
    iterations: RFC7677.iterations,
  });

  it('R-AUTH-7: accepts the RFC 7677 client proof and produces its server signature', () => {
    expect(verifyClientProof(storedKey, am, fromBase64(RFC7677.proof))).toBe(true);
    expect(toBase64(serverSignature(serverKey, am))).toBe(RFC7677.serverSignature);
  });

  it('R-AUTH-7: rejects a proof with one bit flipped, and one for another auth message', () => {
    const proof = fromBase64(RFC7677.proof);
    proof[0]! ^= 1;
    expect(verifyClientProof(storedKey, am, proof)).toBe(false);
    expect(verifyClientProof(storedKey, `${am}x`, fromBase64(RFC7677.proof))).toBe(false);
  });
});

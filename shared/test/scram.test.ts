import { describe, expect, it } from 'vitest';
import { authMessage, clientProof, clientSecrets, fromBase64, serverSignature, toBase64 } from '../src';

import { RFC7677 } from './fixtures/rfc7677';

describe('SCRAM-SHA-256 on WebCrypto (client side)', () => {
  it('R-AUTH-7: reproduces the RFC 7677 test vector', async () => {
    const salt = fromBase64(RFC7677.salt);
    const secrets = await clientSecrets(RFC7677.password, salt, RFC7677.iterations);
    const am = authMessage({
      username: RFC7677.username,
      clientNonce: RFC7677.clientNonce,
      nonce: RFC7677.nonce,
      salt,
      iterations: RFC7677.iterations,
    });
    expect(am).toBe(
      'n=user,r=rOprNGfwEbeRWgbNEkqO,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096,c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0',
    );
    expect(toBase64(await clientProof(secrets, am))).toBe(RFC7677.proof);
    expect(toBase64(await serverSignature(secrets.serverKey, am))).toBe(RFC7677.serverSignature);
  });

  it('R-AUTH-8: binds both ephemeral public keys into the auth message', () => {
    const base = {
      username: 'user',
      clientNonce: 'abcdefghijklmnop',
      nonce: 'abcdefghijklmnopqrstuvwx',
      salt: new Uint8Array(16),
      iterations: 4096,
    };
    const a = authMessage({
      ...base,
      clientPublicKey: new Uint8Array(32),
      serverPublicKey: new Uint8Array(32),
    });
    const b = authMessage({
      ...base,
      clientPublicKey: new Uint8Array(32),
      serverPublicKey: new Uint8Array(32).fill(1),
    });
    expect(a).toContain(',x=');
    expect(a).not.toBe(b);
  });
});

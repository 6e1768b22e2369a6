import { hkdfSync, randomBytes } from 'node:crypto';
import {
  generateEphemeral,
  HKDF_INFO_C2S,
  HKDF_INFO_RESUME,
  HKDF_INFO_S2C,
  deriveSessionKeys as sharedDerive,
  sharedSecret,
} from '@imw/shared';
import { describe, expect, it } from 'vitest';
import { deriveSessionKeys, generateX25519, x25519Shared } from '../../src/accounts/session/keys';
import { sha256 } from '../../src/accounts/session/scram';

describe('session keys on node:crypto (server side)', () => {
  it('X25519: both sides of a WebCrypto exchange agree on the secret', async () => {
    const server = generateX25519();
    const client = await generateEphemeral();
    expect(server.publicKey.byteLength).toBe(32);
    const ours = x25519Shared(server.privateKey, client.publicKey);
    const theirs = await sharedSecret(client, server.publicKey);
    expect(Buffer.from(theirs).equals(ours)).toBe(true);
  });

  it('HKDF: the same keys as hkdfSync and as the WebCrypto client', async () => {
    const secret = randomBytes(32);
    const am = 'n=alice,r=abc,s=xyz,i=4096,x=pub';
    const keys = deriveSessionKeys(secret, am);
    const salt = sha256(Buffer.from(am, 'utf8'));
    const ref = (info: string) => Buffer.from(hkdfSync('sha256', secret, salt, info, 32));
    expect(keys.c2s.equals(ref(HKDF_INFO_C2S))).toBe(true);
    expect(keys.s2c.equals(ref(HKDF_INFO_S2C))).toBe(true);
    expect(keys.resume.equals(ref(HKDF_INFO_RESUME))).toBe(true);
    const client = await sharedDerive(secret, am);
    expect(Buffer.from(client.c2s).equals(keys.c2s)).toBe(true);
    expect(Buffer.from(client.s2c).equals(keys.s2c)).toBe(true);
    expect(Buffer.from(client.resume).equals(keys.resume)).toBe(true);
  });

  it('HKDF: a longer secret (resume: ECDH ‖ resume key) still matches hkdfSync', () => {
    const secret = randomBytes(64);
    const keys = deriveSessionKeys(secret, 'imw-resume,s,n,a,b');
    const salt = sha256(Buffer.from('imw-resume,s,n,a,b', 'utf8'));
    expect(keys.resume.equals(Buffer.from(hkdfSync('sha256', secret, salt, HKDF_INFO_RESUME, 32)))).toBe(
      true,
    );
  });
});

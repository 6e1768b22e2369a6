import type { Bytes } from './bytes';
import { concat, toBase64, utf8, xor } from './bytes';

/**
 * SCRAM-SHA-256 (RFC 5802, RFC 7677) on WebCrypto, for the client side in browsers and Node.
 * The server has its own node:crypto version (server/src/accounts/scram.ts); both are tested
 * against the RFC 7677 vector.
 *
 * Our auth message adds one extension attribute `x=` (RFC 5802 §7 "extensions") carrying each
 * side's ephemeral X25519 public key, so the client proof and server signature cover the key
 * exchange: a man in the middle without the password cannot swap keys.
 */
const subtle = () => globalThis.crypto.subtle;

// WebCrypto's types want ArrayBuffer-backed views; our Uint8Arrays always are.
const buf = (b: Uint8Array) => b as Uint8Array<ArrayBuffer>;

export async function hmacSha256(key: Uint8Array, data: Uint8Array): Promise<Bytes> {
  const k = await subtle().importKey('raw', buf(key), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
  return new Uint8Array(await subtle().sign('HMAC', k, buf(data)));
}

export async function sha256(data: Uint8Array): Promise<Bytes> {
  return new Uint8Array(await subtle().digest('SHA-256', buf(data)));
}

export async function saltedPassword(password: string, salt: Uint8Array, iterations: number): Promise<Bytes> {
  // RFC 5802 asks for SASLprep; we apply NFKC, its core, and leave the rest (bidi checks) alone.
  const k = await subtle().importKey('raw', buf(utf8(password.normalize('NFKC'))), 'PBKDF2', false, [
    'deriveBits',
  ]);
  const bits = await subtle().deriveBits(
    { name: 'PBKDF2', hash: 'SHA-256', salt: buf(salt), iterations },
    k,
    256,
  );
  return new Uint8Array(bits);
}

export interface ScramKeys {
  salt: Bytes;
  iterations: number;
  storedKey: Bytes;
  serverKey: Bytes;
}

export interface ClientSecrets {
  clientKey: Bytes;
  storedKey: Bytes;
  serverKey: Bytes;
}

export async function clientSecrets(
  password: string,
  salt: Uint8Array,
  iterations: number,
): Promise<ClientSecrets> {
  const sp = await saltedPassword(password, salt, iterations);
  const clientKey = await hmacSha256(sp, utf8('Client Key'));
  const serverKey = await hmacSha256(sp, utf8('Server Key'));
  return { clientKey, storedKey: await sha256(clientKey), serverKey };
}

/** Keys for registration or a password change: derived on the client, never the password. */
export async function deriveScramKeys(password: string, salt: Bytes, iterations: number): Promise<ScramKeys> {
  const s = await clientSecrets(password, salt, iterations);
  return { salt, iterations, storedKey: s.storedKey, serverKey: s.serverKey };
}

/** RFC 5802 saslname: "=" and "," are escaped. Our usernames never contain them, but be exact. */
export const saslName = (u: string) => u.replaceAll('=', '=3D').replaceAll(',', '=2C');

export interface AuthMessageParts {
  username: string;
  clientNonce: string;
  /** Full nonce: client nonce + server part. */
  nonce: string;
  salt: Uint8Array;
  iterations: number;
  clientPublicKey?: Uint8Array;
  serverPublicKey?: Uint8Array;
  /**
   * The status asked for in `auth.login` (R-PRS-3). The login request travels before encryption,
   * so it is bound into the proof as an extra `t=` attribute of client-final-without-proof: an
   * invisible login cannot be turned visible on the way.
   */
  status?: string | undefined;
  /**
   * R-SEC-33: the login's mode and scene, bound the same way (`m=`, `sc=`), so a chat login
   * cannot be turned into a scene login, or sent to another scene, on the way. Both sides pass
   * the mode as sent (`normal` when the client gave none) and the scene only when there is one.
   */
  mode?: string | undefined;
  sceneId?: string | undefined;
}

export function authMessage(p: AuthMessageParts): string {
  const cx = p.clientPublicKey ? `,x=${toBase64(p.clientPublicKey)}` : '';
  const sx = p.serverPublicKey ? `,x=${toBase64(p.serverPublicKey)}` : '';
  const clientFirstBare = `n=${saslName(p.username)},r=${p.clientNonce}${cx}`;
  const serverFirst = `r=${p.nonce},s=${toBase64(p.salt)},i=${p.iterations}${sx}`;
  const bound =
    (p.status ? `,t=${p.status}` : '') +
    (p.mode ? `,m=${p.mode}` : '') +
    (p.sceneId ? `,sc=${saslName(p.sceneId)}` : '');
  const clientFinalNoProof = `c=biws,r=${p.nonce}${bound}`;
  return `${clientFirstBare},${serverFirst},${clientFinalNoProof}`;
}

export async function clientProof(secrets: ClientSecrets, authMsg: string): Promise<Bytes> {
  const sig = await hmacSha256(secrets.storedKey, utf8(authMsg));
  return xor(secrets.clientKey, sig);
}

export async function serverSignature(serverKey: Uint8Array, authMsg: string): Promise<Bytes> {
  return hmacSha256(serverKey, utf8(authMsg));
}

export { concat };

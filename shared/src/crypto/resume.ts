import { type Bytes, concat, toBase64, utf8 } from './bytes';
import { hmacSha256 } from './scram';

/**
 * Session resume (docs/PROTOCOL.md §Resume). The transcript binds the session, the server nonce
 * and both new ephemeral keys; the proofs are HMACs under the old session's resume key, and the
 * new keys come from HKDF over (new X25519 secret ‖ old resume key), so a man in the middle
 * without the old keys can neither resume nor read the new session.
 */
export function resumeTranscript(p: {
  sessionId: string;
  nonce: string;
  clientPublicKey: Uint8Array;
  serverPublicKey: Uint8Array;
  /** The status asked for in `auth.resume` (R-PRS-3), bound so nobody on the way can change it. */
  status?: string | undefined;
}): string {
  const t = p.status ? `,t=${p.status}` : '';
  return `imw-resume,${p.sessionId},${p.nonce},${toBase64(p.clientPublicKey)},${toBase64(p.serverPublicKey)}${t}`;
}

export const resumeClientProof = (resumeKey: Uint8Array, transcript: string): Promise<Bytes> =>
  hmacSha256(resumeKey, utf8(`client,${transcript}`));

export const resumeServerProof = (resumeKey: Uint8Array, transcript: string): Promise<Bytes> =>
  hmacSha256(resumeKey, utf8(`server,${transcript}`));

export const resumeIkm = (ecdhSecret: Uint8Array, resumeKey: Uint8Array): Bytes =>
  concat(ecdhSecret, resumeKey);

import { createHmac, timingSafeEqual } from 'node:crypto';
import { type Bytes, ErrorCode, type Params, resumeTranscript } from '@imw/shared';
import { fail } from '../../core';
import type { UserRepo, UserRow } from '../repo';
import type { ChallengeStore } from './challenges';
import { deriveSessionKeys, generateX25519, type SessionKeys, x25519Shared } from './keys';
import type { SessionKeeper, SessionTicket } from './port';

export interface ResumeProof {
  ticket: SessionTicket;
  user: UserRow;
  keys: SessionKeys;
  serverProof: Bytes;
}

/**
 * R-RES-1..4: resuming a session on a new socket with a fresh key exchange, proven by the old
 * session's resume key. The session owner reads and redeems the ticket; this proves it.
 */
export class ResumeHandshake {
  constructor(
    private readonly repo: UserRepo,
    private readonly challenges: ChallengeStore,
    private readonly sessions: Pick<SessionKeeper, 'readTicket' | 'redeem'>,
  ) {}

  challenge(socketId: string, p: Params<'auth.resumeChallenge'>) {
    // Only what this node knows without I/O; the database is asked once, at auth.resume.
    const ticket = this.sessions.readTicket(p.resumeToken);
    if (!ticket) fail(ErrorCode.AUTH_FAILED, 'the session has ended; log in again');
    const eph = generateX25519();
    const c = this.challenges.issue({
      purpose: 'resume',
      socketId,
      ticket,
      clientNonce: p.clientNonce,
      clientPublicKey: p.clientPublicKey,
      serverPublicKey: eph.publicKey,
      serverPrivateKey: eph.privateKey,
    });
    return { nonce: c.nonce, serverPublicKey: eph.publicKey as Bytes };
  }

  async prove(socketId: string, p: Params<'auth.resume'>): Promise<ResumeProof> {
    const c = this.challenges.consume(p.nonce, socketId, 'resume');
    if (!c) fail(ErrorCode.CHALLENGE_INVALID, 'no live resume challenge with that nonce on this connection');
    const t = c.ticket;
    const transcript = resumeTranscript({
      sessionId: t.sessionId,
      nonce: c.nonce,
      clientPublicKey: c.clientPublicKey,
      serverPublicKey: c.serverPublicKey,
      status: p.status,
    });
    const expected = createHmac('sha256', t.resumeKey).update(`client,${transcript}`).digest();
    if (!timingSafeEqual(expected, p.proof)) fail(ErrorCode.AUTH_FAILED, 'resume proof does not verify');
    // The authoritative checks (every node's revocations, single-use tickets), after the proof.
    await this.sessions.redeem(t);
    const user = await this.repo.byId(t.userId).catch(() => undefined);
    if (!user) fail(ErrorCode.AUTH_FAILED, 'account gone');
    const ecdh = x25519Shared(c.serverPrivateKey, c.clientPublicKey);
    return {
      ticket: t,
      user,
      keys: deriveSessionKeys(Buffer.concat([ecdh, t.resumeKey]), transcript),
      serverProof: createHmac('sha256', t.resumeKey).update(`server,${transcript}`).digest() as Bytes,
    };
  }
}

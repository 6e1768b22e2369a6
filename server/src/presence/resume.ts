import type { KeyObject } from 'node:crypto';
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { type Bytes, ErrorCode, type OwnProfile, type Params, resumeTranscript } from '@imw/shared';
import { deriveSessionKeys, generateX25519, type SessionKeys, x25519Shared } from '../accounts';
import { type Clock, fail } from '../core';
import type { PresenceService } from './service';
import type { LocalSession } from './sessions';
import type { TicketData } from './tickets';

interface PendingResume {
  socketId: string;
  ticket: TicketData;
  nonce: string;
  clientPublicKey: Uint8Array;
  serverPublicKey: Uint8Array;
  serverPrivateKey: KeyObject;
  expiresAtMs: number;
}

export interface ResumeOutcome {
  session: LocalSession;
  keys: SessionKeys;
  serverProof: Bytes;
  profile: OwnProfile;
  resumed: boolean;
  /** Packets held while the session was detached, to send after the result. */
  queued: import('@imw/shared').WireRecord[];
}

/**
 * R-RES-1..4: resuming a session on a new socket with a fresh key exchange proven by the old
 * session's resume key. Challenges live as long as SCRAM ones, are bound to the socket, single-use.
 */
export class ResumeService {
  private readonly pending = new Map<string, PendingResume>();

  constructor(
    private readonly presence: PresenceService,
    private readonly opener: { open(token: string): TicketData | null },
    private readonly users: { profile(userId: number): Promise<OwnProfile> },
    private readonly clock: Clock,
    private readonly ttlMs: number,
    /** Redeems a single-use ticket id cluster-wide; false when it was used already (ClusterNode). */
    private readonly onceTickets: { claimTicket(id: string, ttlMs: number): Promise<boolean> },
  ) {}

  challenge(socketId: string, p: Params<'auth.resumeChallenge'>) {
    const t = this.opener.open(p.resumeToken);
    // Only what this node knows without I/O; the database is asked once, at auth.resume.
    if (!t || t.expiresAtMs < this.clock.now() || this.presence.endedHere(t.sessionId)) {
      fail(ErrorCode.AUTH_FAILED, 'the session has ended; log in again');
    }
    for (const [n, c] of this.pending) if (c.socketId === socketId) this.pending.delete(n);
    const eph = generateX25519();
    const nonce = p.clientNonce + randomBytes(18).toString('base64');
    this.pending.set(nonce, {
      socketId,
      ticket: t,
      nonce,
      clientPublicKey: p.clientPublicKey,
      serverPublicKey: eph.publicKey,
      serverPrivateKey: eph.privateKey,
      expiresAtMs: this.clock.now() + this.ttlMs,
    });
    return { nonce, serverPublicKey: eph.publicKey as Bytes };
  }

  async resume(socketId: string, p: Params<'auth.resume'>): Promise<ResumeOutcome> {
    const c = this.pending.get(p.nonce);
    if (c) this.pending.delete(p.nonce);
    if (!c || c.socketId !== socketId || this.clock.now() > c.expiresAtMs) {
      fail(ErrorCode.CHALLENGE_INVALID, 'no live resume challenge with that nonce on this connection');
    }
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
    // The authoritative check (every node's revocations), after the proof: one query per resume.
    if (await this.presence.isRevoked(t.sessionId))
      fail(ErrorCode.AUTH_FAILED, 'the session has ended; log in again');
    // Redirect tickets are single-use across the cluster (R-CLU-32).
    if (
      t.once &&
      !(await this.onceTickets.claimTicket(t.once, Math.max(1, t.expiresAtMs - this.clock.now())))
    ) {
      fail(ErrorCode.AUTH_FAILED, 'this redirect ticket was used already');
    }
    const profile = await this.users
      .profile(t.userId)
      .catch(() => fail(ErrorCode.AUTH_FAILED, 'account gone'));
    const ecdh = x25519Shared(c.serverPrivateKey, c.clientPublicKey);
    const keys = deriveSessionKeys(Buffer.concat([ecdh, t.resumeKey]), transcript);
    const serverProof = createHmac('sha256', t.resumeKey).update(`server,${transcript}`).digest() as Bytes;

    let session = this.presence.table.bySessionId(t.sessionId);
    let resumed = true;
    let queued: ResumeOutcome['queued'] = [];
    if (session) {
      queued = this.presence.reattach(session, socketId);
    } else {
      const other = this.presence.table.byUserId(t.userId);
      // A newer login of the same user is here: this ticket's session was replaced.
      if (other) fail(ErrorCode.AUTH_FAILED, 'the session was replaced by a newer login');
      session = {
        sessionId: t.sessionId,
        userId: t.userId,
        username: profile.username,
        displayName: profile.displayName,
        mode: t.mode,
        sceneId: t.sceneId,
        status: p.status ?? 'online',
        loginAtMs: this.clock.now(),
        resumeKey: keys.resume,
        link: { state: 'attached', socketId },
      };
      resumed = await this.presence.adopt(session);
      queued = this.presence.takeArrivals(t.userId);
    }
    session.resumeKey = keys.resume;
    return { session, keys, serverProof, profile, resumed, queued };
  }

  dropSocket(socketId: string): void {
    for (const [n, c] of this.pending) if (c.socketId === socketId) this.pending.delete(n);
  }

  sweep(): void {
    const now = this.clock.now();
    for (const [n, c] of this.pending) if (now > c.expiresAtMs) this.pending.delete(n);
  }
}

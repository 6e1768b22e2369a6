import type { Clock, Config } from '../../core';
import type { UserRepo } from '../repo';
import { ChallengeStore } from './challenges';
import type { SessionKeeper } from './port';
import { ResumeHandshake } from './resume-handshake';
import { type ScramConfig, ScramHandshake } from './scram-handshake';

/**
 * Every handshake that proves who is on a socket — login, resume, re-auth — over one store of
 * live challenges, so a socket's challenges are bounded, dropped and swept in one place.
 */
export class SessionHandshakes {
  readonly challenges: ChallengeStore;
  readonly scram: ScramHandshake;
  readonly resume: ResumeHandshake;

  constructor(
    repo: UserRepo,
    clock: Clock,
    config: ScramConfig & Pick<Config, 'CHALLENGE_TTL_MS'>,
    sessions: Pick<SessionKeeper, 'readTicket' | 'redeem'>,
  ) {
    this.challenges = new ChallengeStore(clock, config.CHALLENGE_TTL_MS);
    this.scram = new ScramHandshake(repo, this.challenges, clock, config);
    this.resume = new ResumeHandshake(repo, this.challenges, sessions);
  }

  init(): Promise<void> {
    return this.scram.init();
  }

  /** The socket closed: its challenges can never be answered. */
  dropSocket(socketId: string): void {
    this.challenges.dropSocket(socketId);
  }

  sweep(): void {
    this.challenges.sweep();
    this.scram.sweep();
  }
}

import { CloseCode, ErrorCode, encodeEvent, type Params, type WireRecord } from '@imw/shared';
import { AppError, type Clock, fail } from '../core';
import type { ActionRow, ModerationRepo, ReportRow } from './repo';

const HOUR_MS = 3_600_000;

/** Presence: whether two users are in one scene right now (the third way to see someone). */
export interface SceneCompanions {
  shareScene(a: number, b: number): Promise<boolean>;
}

/** Presence: ends every session of a user wherever it lives; answers how many ended. */
export interface SessionEnder {
  endUser(userId: number, code: number, reason: string): Promise<number>;
}

/** Presence's delivery to every session of a user. */
export interface UserDelivery {
  route(userIds: readonly number[], records: readonly WireRecord[]): void;
}

/** Accounts' deletion path: the account with what hangs on it, and the notices (R-ACC-3). */
export interface AccountRemoval {
  removeAccount(userId: number): Promise<void>;
}

export interface ModerationDeps {
  clock: Clock;
  reportsPerHour: number;
  scenes: SceneCompanions;
  sessions: SessionEnder;
  delivery: UserDelivery;
  removal: AccountRemoval;
}

/** A report as the admin API shows it. */
export interface ReportView {
  id: number;
  reporter: { userId: number | null; username: string };
  target: { userId: number | null; username: string };
  message: { messageId: string; text: string } | null;
  category: string;
  note: string;
  createdAtMs: number;
  resolvedAtMs: number | null;
  resolution: string | null;
}

export interface ActionView {
  id: number;
  userId: number;
  username: string;
  kind: ActionKind;
  text: string;
  untilMs: number | null;
  reportId: number | null;
  atMs: number;
}

export type ActionKind = 'warn' | 'suspend' | 'lift' | 'delete';

/** The answer to a report about a user the reporter cannot see, and about no user at all (R-RPT-3). */
const NO_SUCH_USER = 'no such user';

/**
 * Reports and what operators do about them (#15): users file reports about people they can see;
 * operators read them in the admin API and warn, suspend or delete. Every action is logged.
 */
export class ModerationService {
  constructor(
    private readonly repo: ModerationRepo,
    private readonly d: ModerationDeps,
  ) {}

  /** R-RPT-1..5. */
  async report(reporterId: number, p: Params<'reports.create'>): Promise<{ reportId: number }> {
    if (p.userId === reporterId) fail(ErrorCode.BAD_REQUEST, 'you cannot report yourself');
    const now = this.d.clock.now();
    if (this.d.reportsPerHour > 0) {
      const n = await this.repo.reportsSince(reporterId, new Date(now - HOUR_MS));
      if (n >= this.d.reportsPerHour) {
        throw new AppError(ErrorCode.RATE_LIMITED, 'too many reports; try again later', {
          retryAfterMs: HOUR_MS / this.d.reportsPerHour,
        });
      }
    }
    // The same queries run whether or not the user exists, so neither the answer nor its
    // timing class tells a stranger's id from a free one (R-RPT-3).
    const sees =
      (await this.repo.related(reporterId, p.userId)) ||
      (await this.d.scenes.shareScene(reporterId, p.userId));
    const [targetName, reporterName] = await Promise.all([
      this.repo.username(p.userId),
      this.repo.username(reporterId),
    ]);
    if (!sees || targetName === undefined || reporterName === undefined)
      fail(ErrorCode.NOT_FOUND, NO_SUCH_USER);
    const reportId = await this.repo.insertReport({
      reporterId,
      reporterName,
      targetId: p.userId,
      targetName,
      messageId: p.message?.messageId ?? null,
      messageText: p.message?.text ?? null,
      category: p.category,
      note: p.note,
      createdAt: new Date(now),
    });
    return { reportId };
  }

  /** R-MOD-3: a suspended account cannot log in or resume until its date (after the password proof). */
  async admit(userId: number): Promise<void> {
    const until = await this.repo.suspendedUntil(userId);
    if (!until) return;
    const leftMs = until.getTime() - this.d.clock.now();
    if (leftMs <= 0) return;
    throw new AppError(ErrorCode.SUSPENDED, `this account is suspended until ${until.toISOString()}`, {
      retryAfterMs: leftMs,
    });
  }

  async listReports(q: {
    status: 'open' | 'resolved' | 'all';
    beforeId?: number;
    limit: number;
  }): Promise<ReportView[]> {
    return (await this.repo.listReports(q)).map(reportView);
  }

  async resolveReport(id: number, resolution: string): Promise<ReportView | null> {
    if (!(await this.repo.resolve(id, new Date(this.d.clock.now()), resolution))) {
      const r = await this.repo.report(id);
      return r ? reportView(r) : null;
    }
    const r = await this.repo.report(id);
    return r ? reportView(r) : null;
  }

  listActions(q: { userId?: number; beforeId?: number; limit: number }): Promise<ActionView[]> {
    return this.repo.listActions(q).then((rows) => rows.map(actionView));
  }

  /** R-MOD-1: the user's live sessions get `account.warned` with the operator's text. */
  async warn(userId: number, text: string, reportId?: number): Promise<ActionView | null> {
    const username = await this.repo.username(userId);
    if (username === undefined) return null;
    const atMs = this.d.clock.now();
    this.d.delivery.route([userId], [encodeEvent('account.warned', { text, atMs })]);
    return this.log({ userId, username, kind: 'warn', text, reportId });
  }

  /**
   * R-MOD-2, R-MOD-3: recorded first, so a login racing the kick is refused too; then every live
   * session ends with 4020 SUSPENDED.
   */
  async suspend(
    userId: number,
    untilMs: number,
    text: string,
    reportId?: number,
  ): Promise<ActionView | null> {
    const username = await this.repo.username(userId);
    if (username === undefined) return null;
    await this.repo.suspend(userId, new Date(untilMs), text);
    await this.d.sessions.endUser(
      userId,
      CloseCode.SUSPENDED,
      `account suspended until ${new Date(untilMs).toISOString()}`,
    );
    return this.log({ userId, username, kind: 'suspend', text, until: new Date(untilMs), reportId });
  }

  /** R-MOD-4: lifts a suspension before its date. */
  async lift(userId: number, text: string): Promise<ActionView | null> {
    const username = await this.repo.username(userId);
    if (username === undefined) return null;
    await this.repo.lift(userId);
    return this.log({ userId, username, kind: 'lift', text });
  }

  /** R-MOD-5: accounts' own deletion path, then every session ends with 4011 ACCOUNT_DELETED. */
  async deleteAccount(userId: number, text: string, reportId?: number): Promise<ActionView | null> {
    const username = await this.repo.username(userId);
    if (username === undefined) return null;
    await this.d.removal.removeAccount(userId);
    await this.d.sessions.endUser(userId, CloseCode.ACCOUNT_DELETED, 'account deleted by an operator');
    return this.log({ userId, username, kind: 'delete', text, reportId });
  }

  private async log(a: {
    userId: number;
    username: string;
    kind: ActionKind;
    text: string;
    until?: Date;
    reportId?: number | undefined;
  }): Promise<ActionView> {
    const row = await this.repo.insertAction({
      userId: a.userId,
      username: a.username,
      kind: a.kind,
      text: a.text,
      until: a.until ?? null,
      reportId: a.reportId ?? null,
      createdAt: new Date(this.d.clock.now()),
    });
    return actionView(row);
  }
}

function reportView(r: ReportRow): ReportView {
  return {
    id: r.id,
    reporter: { userId: r.reporterId, username: r.reporterName },
    target: { userId: r.targetId, username: r.targetName },
    message: r.messageId !== null ? { messageId: r.messageId, text: r.messageText ?? '' } : null,
    category: r.category,
    note: r.note,
    createdAtMs: r.createdAt.getTime(),
    resolvedAtMs: r.resolvedAt?.getTime() ?? null,
    resolution: r.resolution,
  };
}

function actionView(r: ActionRow): ActionView {
  return {
    id: r.id,
    userId: r.userId,
    username: r.username,
    kind: r.kind as ActionKind,
    text: r.text,
    untilMs: r.until?.getTime() ?? null,
    reportId: r.reportId,
    atMs: r.createdAt.getTime(),
  };
}

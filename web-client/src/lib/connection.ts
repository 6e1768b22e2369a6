import { CloseCode, ClosePolicy } from '@imw/shared';
import {
  ClientErrorCode,
  type ClientState,
  fullJitterDelayMs,
  type ImClient,
  ImError,
} from '@imw/shared/sdk';

/**
 * Keeps the page's one socket open while nobody is logged in: connects at start, reconnects
 * after a close (at once after an expected close, with the SDK's full-jitter backoff after a failure),
 * and lets a form wait for an open socket before it logs in or registers.
 *
 * A logged-in session is the SDK's to keep: after a drop it reports 'reconnecting' and resumes
 * the session itself, and this class stays out of its way. Only when the SDK reports 'closed'
 * (logout, gave up, a terminal close code) does this class open a fresh, logged-out socket; the
 * session layer (session.tsx) decides what the lost login means for the user.
 */

export interface ConnectionStatus {
  /** Failed attempts since the last hello: drives the backoff and the "Reconnecting…" label. */
  readonly failures: number;
  /** When the next attempt is due (ms since epoch), or null when none is scheduled. */
  readonly retryAtMs: number | null;
  /** Why no attempt is scheduled although the socket is closed. */
  readonly paused: 'offline' | 'hidden' | 'stopped' | null;
  readonly lastClose: { readonly code: number; readonly reason: string } | null;
}

export interface ConnectionOptions {
  /** First backoff ceiling; it doubles per failure up to `maxDelayMs`. */
  baseDelayMs?: number;
  maxDelayMs?: number;
  random?: () => number;
  now?: () => number;
  /** The page environment; null in tests, where the page is always visible and online. */
  page?: PageSignals | null;
}

/** What the connection watches on the page: online/offline and tab visibility. */
export interface PageSignals {
  isOnline(): boolean;
  isHidden(): boolean;
  /** Calls `fn` when the page comes back online or becomes visible; returns an unsubscribe. */
  onResume(fn: () => void): () => void;
}

export const browserPageSignals: PageSignals = {
  isOnline: () => navigator.onLine,
  isHidden: () => document.hidden,
  onResume(fn) {
    const onVisible = () => {
      if (!document.hidden) fn();
    };
    window.addEventListener('online', fn);
    document.addEventListener('visibilitychange', onVisible);
    return () => {
      window.removeEventListener('online', fn);
      document.removeEventListener('visibilitychange', onVisible);
    };
  },
};

export interface ReadyOptions {
  timeoutMs?: number;
  /**
   * Replace a logged-out socket older than this first. The server closes sockets that have not
   * logged in within an absolute deadline (30 s by default, not announced in `sys.hello`), and
   * a login that starts just before it would be cut off halfway.
   */
  maxPreLoginAgeMs?: number;
}

interface Waiter {
  resolve: () => void;
  reject: (e: ImError) => void;
}

export class Connection {
  private status: ConnectionStatus = { failures: 0, retryAtMs: null, paused: null, lastClose: null };
  private readonly listeners = new Set<() => void>();
  private readonly waiters = new Set<Waiter>();
  private retryTimer: ReturnType<typeof setTimeout> | null = null;
  private openedAtMs = 0;
  /** The last connect() threw before creating a socket, leaving the SDK's state at 'connecting'. */
  private connectThrew = false;
  private started = false;
  private unsubscribe: (() => void)[] = [];
  private readonly baseDelayMs: number;
  private readonly maxDelayMs: number;
  private readonly random: () => number;
  private readonly now: () => number;
  private readonly page: PageSignals | null;

  constructor(
    readonly client: ImClient,
    options: ConnectionOptions = {},
  ) {
    this.baseDelayMs = options.baseDelayMs ?? 500;
    this.maxDelayMs = options.maxDelayMs ?? 30_000;
    this.random = options.random ?? Math.random;
    this.now = options.now ?? Date.now;
    this.page = options.page === undefined ? browserPageSignals : options.page;
  }

  /** Idempotent, so React StrictMode's double effects cannot open two sockets. */
  start(): void {
    if (this.started) return;
    this.started = true;
    this.unsubscribe.push(this.client.on('state', (s) => this.onState(s)));
    if (this.page) this.unsubscribe.push(this.page.onResume(() => this.resume()));
    this.attempt();
  }

  stop(): void {
    this.started = false;
    for (const off of this.unsubscribe) off();
    this.unsubscribe = [];
    this.clearTimer();
    this.update({ retryAtMs: null, paused: 'stopped' });
    this.client.close(CloseCode.NORMAL, 'client stopped');
  }

  getStatus = (): ConnectionStatus => this.status;

  subscribe = (fn: () => void): (() => void) => {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  };

  /**
   * Resolves once the socket is open (or logged in). A user action skips any backoff wait.
   * Rejects with DISCONNECTED when the next attempt fails, TIMEOUT when none succeeds in time.
   */
  async ready({ timeoutMs = 10_000, maxPreLoginAgeMs }: ReadyOptions = {}): Promise<void> {
    const s = this.client.state;
    if (s.status === 'authenticated') return;
    if (s.status === 'open') {
      if (maxPreLoginAgeMs === undefined || this.now() - this.openedAtMs <= maxPreLoginAgeMs) return;
      // A normal close is an expected one: onState reconnects at once and the waiter below sees it.
      this.client.close(CloseCode.NORMAL, 'renew before login');
    } else if (!this.busy()) {
      this.clearTimer();
      this.attempt();
    }
    await this.waitForOpen(timeoutMs);
  }

  private waitForOpen(timeoutMs: number): Promise<void> {
    return new Promise((resolve, reject) => {
      const waiter: Waiter = {
        resolve: () => {
          clearTimeout(timer);
          this.waiters.delete(waiter);
          resolve();
        },
        reject: (e) => {
          clearTimeout(timer);
          this.waiters.delete(waiter);
          reject(e);
        },
      };
      const timer = setTimeout(
        () => waiter.reject(new ImError(ClientErrorCode.TIMEOUT, 'the server did not answer')),
        timeoutMs,
      );
      this.waiters.add(waiter);
    });
  }

  private attempt(): void {
    this.retryTimer = null;
    if (this.busy()) return;
    this.update({ retryAtMs: null, paused: null });
    try {
      this.connectThrew = false;
      // Failures surface through the 'state' event (closed), which schedules the retry.
      this.client.connect().catch(() => undefined);
    } catch (e) {
      // The WebSocket constructor itself threw (bad URL, blocked by policy): no close will follow.
      this.connectThrew = true;
      console.error('could not open the WebSocket', e);
      this.onClosed({ code: 1006, reason: e instanceof Error ? e.message : String(e) }, false);
    }
  }

  private onState(s: ClientState): void {
    if (s.status === 'open' || s.status === 'authenticated') {
      // A resume goes from 'reconnecting' straight to 'authenticated', without 'open'.
      if (s.status === 'open') this.openedAtMs = this.now();
      this.update({ failures: 0, retryAtMs: null, paused: null });
      for (const w of [...this.waiters]) w.resolve();
    } else if (s.status === 'closed') {
      this.onClosed({ code: s.code, reason: s.reason }, ClosePolicy.reopenAtOnce.has(s.code));
    } else {
      this.emit();
    }
  }

  private onClosed(close: { code: number; reason: string }, expected: boolean): void {
    const failures = expected ? 0 : this.status.failures + 1;
    if (!expected) {
      const err = new ImError(ClientErrorCode.DISCONNECTED, `can't reach the server (${close.code})`);
      for (const w of [...this.waiters]) w.reject(err);
    }
    this.update({ failures, lastClose: close });
    if (!this.started) return;
    this.schedule(expected ? 0 : this.backoffMs(failures));
  }

  /** The SDK's full-jitter backoff, with this socket's own delays. */
  private backoffMs(failures: number): number {
    return fullJitterDelayMs(failures, {
      baseDelayMs: this.baseDelayMs,
      maxDelayMs: this.maxDelayMs,
      random: this.random,
    });
  }

  private schedule(delayMs: number): void {
    this.clearTimer();
    if (this.page && !this.page.isOnline()) {
      this.update({ retryAtMs: null, paused: 'offline' });
      return;
    }
    // A hidden logged-out tab would otherwise reconnect every pre-login deadline, forever.
    if (this.page?.isHidden()) {
      this.update({ retryAtMs: null, paused: 'hidden' });
      return;
    }
    this.update({ retryAtMs: this.now() + delayMs, paused: null });
    this.retryTimer = setTimeout(() => this.attempt(), delayMs);
  }

  /** True while a socket exists (connecting, open, logged in) or the SDK is resuming a session itself. */
  private busy(): boolean {
    const s = this.client.state.status;
    if (s === 'connecting') return !this.connectThrew;
    return s === 'open' || s === 'authenticated' || s === 'reconnecting';
  }

  private resume(): void {
    if (this.busy()) return;
    this.clearTimer();
    this.attempt();
  }

  private clearTimer(): void {
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = null;
  }

  private update(patch: Partial<ConnectionStatus>): void {
    this.status = { ...this.status, ...patch };
    this.emit();
  }

  private emit(): void {
    for (const fn of [...this.listeners]) fn();
  }
}

export type ConnectionLabel = 'Connected' | 'Connecting…' | 'Reconnecting…' | 'Disconnected';

/** The badge text: what the user can do right now, not the socket's internal phase. */
export function connectionLabel(state: ClientState, status: ConnectionStatus): ConnectionLabel {
  switch (state.status) {
    case 'open':
    case 'authenticated':
      return 'Connected';
    case 'connecting':
      return status.failures > 0 ? 'Reconnecting…' : 'Connecting…';
    case 'reconnecting':
      return 'Reconnecting…';
    case 'idle':
    case 'closed':
      if (status.retryAtMs === null) return status.paused === null ? 'Connecting…' : 'Disconnected';
      return status.failures > 0 ? 'Reconnecting…' : 'Connecting…';
  }
}

import type { FrameReceiver, WireRecord } from '@imw/shared';
import type { SessionRef } from '../core';
import type { NodeGcm } from './cipher';

/** What the gateway needs of a transport socket; the uWS adapter provides it. */
export interface SocketPort {
  send(frame: Uint8Array): void;
  close(code: number, reason: string): void;
  bufferedAmount(): number;
  cork(fn: () => void): void;
}

/**
 * Connection state as a discriminated union: keys and the session exist only once logged in.
 * `closing` swallows everything after the gateway decided to close (uWS may still deliver).
 */
export type ConnectionState =
  | { phase: 'anonymous'; framesBeforeLogin: number }
  | {
      phase: 'secure';
      session: SessionRef;
      /** Incoming frames: the c2s cipher and the counter the next frame must carry. */
      rx: FrameReceiver<NodeGcm>;
      tx: NodeGcm;
      txCounter: number;
    }
  | { phase: 'closing' };

const SETTLED: Promise<void> = Promise.resolve();

export class Connection {
  /** Requests waiting or running: they run one after another, in the order sent. */
  pending = 0;
  /** The last of them (settled when none is waiting). */
  chain: Promise<void> = SETTLED;
  state: ConnectionState = { phase: 'anonymous', framesBeforeLogin: 0 };
  malformedFrames = 0;
  lastActivityMs: number;
  lastHeartbeatMs: number;
  /** Records waiting for the end of this event-loop turn, then sent as one frame. */
  outbox: WireRecord[] = [];
  /**
   * Packets routed to a session that is being bound to this still-anonymous socket (a resume in
   * progress): they wait here and leave encrypted once the connection is secured, never in clear.
   */
  heldForSecure: WireRecord[] = [];
  /** Set by a handler to run once its response is queued. */
  afterResponse: Array<() => void> = [];
  /** Set by a handler (logout, delete) to close once its response is queued. */
  closeAfterResponse: { code: number; reason: string } | null = null;
  /** The transport has reported the close; the socket must not be used again. */
  transportClosed = false;

  constructor(
    readonly socketId: string,
    readonly ip: string,
    readonly port: SocketPort,
    readonly openedAtMs: number,
  ) {
    this.lastActivityMs = openedAtMs;
    this.lastHeartbeatMs = openedAtMs;
  }

  get session(): SessionRef | null {
    return this.state.phase === 'secure' ? this.state.session : null;
  }
}

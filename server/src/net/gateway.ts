import {
  CloseCode,
  CloseReason,
  decodeRecords,
  type ErrorBody,
  ErrorCode,
  encodeError,
  encodeEvent,
  encodePlainFrame,
  encodeResult,
  FRAME_COUNTER_LIMIT,
  FrameError,
  MAX_RECORDS_PER_FRAME,
  MIN_PROTOCOL_VERSION,
  openFrame,
  PRE_LOGIN_MAX_RECORDS_PER_FRAME,
  PROTOCOL_VERSION,
  parseRequest,
  readHeader,
  requests,
  sealFrame,
  type WireRecord,
} from '@imw/shared';
import type {
  Clock,
  Config,
  ConnectionControl,
  Dispatch,
  Logger,
  Metrics,
  ModulePacket,
  RequestContext,
  RequestCost,
  SessionRef,
} from '../core';
import { AppError, RateLimiter, SILENT, toErrorBody } from '../core';
import { NodeGcm } from './cipher';
import { Connection, type SocketPort } from './connection';

export interface GatewayHooks {
  /** A socket closed (for any reason). `session` is set when it was logged in. */
  onClosed(socketId: string, session: SessionRef | null, code: number): void;
  /** Other nodes' WebSocket URLs, announced in the hello for clients to fall back on. */
  peers?(): string[];
  /**
   * R-LIM-16: which requests the modules answer from memory (cost 1 in the per-connection bucket)
   * and which may touch the database (DB_REQUEST_COST). Each module declares it next to its
   * handlers. Absent: every request costs DB_REQUEST_COST. Pre-login requests always cost 1: they
   * have their own per-address budget (R-LIM-14).
   */
  costOf?(type: ModulePacket['type']): RequestCost;
}

type GatewayConfig = Pick<
  Config,
  | 'MAX_PAYLOAD_BYTES'
  | 'MAX_BACKPRESSURE_BYTES'
  | 'PRE_LOGIN_DEADLINE_MS'
  | 'PRE_LOGIN_MAX_FRAMES'
  | 'MAX_MALFORMED_FRAMES'
  | 'HEARTBEAT_INTERVAL_MS'
  | 'HEARTBEAT_TIMEOUT_MS'
  | 'REQUESTS_PER_SEC'
  | 'REQUESTS_BURST'
  | 'RATE_STRIKES_TO_CLOSE'
  | 'REQUEST_TIMEOUT_MS'
  | 'DB_REQUEST_COST'
  | 'PRE_LOGIN_REQUESTS_PER_ADDRESS_PER_SEC'
  | 'PRE_LOGIN_REQUESTS_PER_ADDRESS_BURST'
  | 'CHAT_MAX_TEXT_CHARS'
  | 'CHAT_RATE_PER_SEC'
  | 'CHAT_BURST'
>;

/** Requests one connection may have waiting; beyond it the client is over its limit. */
const MAX_IN_FLIGHT = 128;
/** R-SEC-21: heartbeats answered per heartbeat interval (the SDK sends one); more are refused. */
const HEARTBEATS_PER_INTERVAL = 4;

/**
 * Seed module 2's pipeline, transport-independent: decode → check version → decrypt → check
 * login → dispatch; and encrypt → send for everything going out. Never throws into the transport.
 */
export class Gateway {
  private readonly conns = new Map<string, Connection>();
  private readonly dirty = new Set<Connection>();
  /** Connections with an answer to a request queued this turn: flushed first (R-SEC-5). */
  private readonly answering = new Set<Connection>();
  private flushScheduled = false;
  /** Frames written since the counter was last bumped: one metric increment per flush, not per frame. */
  private framesSent = 0;
  /** The packet counter's child per type: labels are hashed once, not on every request. */
  private readonly packetCounters = new Map<string, { inc(): void }>();
  private nextSocket = 1;
  private readonly limiter: RateLimiter;
  /** R-SEC-21: heartbeats have a bucket of their own, on top of the general one. */
  private readonly heartbeats: RateLimiter;
  /** R-LIM-14: pre-login requests per address, across connections. */
  private readonly perAddress: RateLimiter;

  constructor(
    private readonly config: GatewayConfig,
    private readonly clock: Clock,
    private readonly log: Logger,
    private readonly metrics: Metrics,
    private readonly nodeId: string,
    private readonly dispatch: Dispatch,
    private readonly hooks: GatewayHooks,
  ) {
    this.limiter = new RateLimiter(
      clock,
      config.REQUESTS_PER_SEC,
      config.REQUESTS_BURST,
      config.RATE_STRIKES_TO_CLOSE,
    );
    this.heartbeats = new RateLimiter(
      clock,
      (HEARTBEATS_PER_INTERVAL * 1000) / Math.max(1, config.HEARTBEAT_INTERVAL_MS),
      HEARTBEATS_PER_INTERVAL,
      config.RATE_STRIKES_TO_CLOSE,
    );
    // Refusals here never close: the per-connection limits and PRE_LOGIN_MAX_FRAMES do that.
    this.perAddress = new RateLimiter(
      clock,
      config.PRE_LOGIN_REQUESTS_PER_ADDRESS_PER_SEC,
      config.PRE_LOGIN_REQUESTS_PER_ADDRESS_BURST,
      Number.POSITIVE_INFINITY,
    );
  }

  /** Bytes the transport holds for this socket (0 when it is gone). */
  /** The socket is still connected (not closed, not closing). */
  isOpen(socketId: string): boolean {
    const conn = this.conns.get(socketId);
    return conn !== undefined && conn.state.phase !== 'closing';
  }

  bufferedAmount(socketId: string): number {
    return this.conns.get(socketId)?.port.bufferedAmount() ?? 0;
  }

  get connectionCount(): number {
    return this.conns.size;
  }

  open(port: SocketPort, ip: string): Connection {
    const socketId = `${this.nodeId}.${(this.nextSocket++).toString(36)}`;
    const conn = new Connection(socketId, ip, port, this.clock.now());
    this.conns.set(socketId, conn);
    this.metrics.connections.set(this.conns.size);
    this.enqueue(
      conn,
      encodeEvent('sys.hello', {
        protocolVersion: PROTOCOL_VERSION,
        nodeId: this.nodeId,
        socketId,
        heartbeatIntervalMs: this.config.HEARTBEAT_INTERVAL_MS,
        maxPayloadBytes: this.config.MAX_PAYLOAD_BYTES,
        nodes: this.hooks.peers?.() ?? [],
        // R-HELLO-1: what the client would otherwise hard-code.
        limits: {
          chatMaxTextChars: this.config.CHAT_MAX_TEXT_CHARS,
          chatPerSec: this.config.CHAT_RATE_PER_SEC,
          chatBurst: this.config.CHAT_BURST,
          preLoginDeadlineMs: this.config.PRE_LOGIN_DEADLINE_MS,
        },
      }),
    );
    return conn;
  }

  /** The transport reports the socket is gone (after our close or the peer's). */
  closed(conn: Connection, code: number): void {
    const session = conn.session;
    conn.state = { phase: 'closing' };
    conn.outbox = [];
    this.dirty.delete(conn);
    this.answering.delete(conn);
    if (!this.conns.delete(conn.socketId)) return;
    this.limiter.forget(conn.socketId);
    this.heartbeats.forget(conn.socketId);
    this.metrics.connections.set(this.conns.size);
    this.hooks.onClosed(conn.socketId, session, code);
  }

  connection(socketId: string): Connection | undefined {
    return this.conns.get(socketId);
  }

  /** One WebSocket message. `data` is only valid during this call (uWS reuses it). */
  message(conn: Connection, data: ArrayBuffer, isBinary: boolean): void {
    const st = conn.state;
    if (st.phase === 'closing') return;
    if (data.byteLength > this.config.MAX_PAYLOAD_BYTES) return this.close(conn, CloseCode.FRAME_TOO_LARGE);
    if (st.phase === 'anonymous' && ++st.framesBeforeLogin > this.config.PRE_LOGIN_MAX_FRAMES) {
      return this.close(conn, CloseCode.PRE_LOGIN_FLOOD);
    }
    if (!isBinary) return this.malformed(conn, 'text frames are not part of the protocol');
    const bytes = new Uint8Array(data);
    // R-VER-3: the version byte comes first, before anything else in the frame is looked at: a
    // peer of another version may lay out the rest differently (other flags, a shorter header),
    // and what it needs to hear is the version answer, not BAD_FRAME.
    const version = bytes[0];
    if (version !== undefined && version < MIN_PROTOCOL_VERSION)
      return this.close(conn, CloseCode.VERSION_TOO_OLD);
    if (version !== undefined && version > PROTOCOL_VERSION)
      return this.close(conn, CloseCode.VERSION_TOO_NEW);
    let records: WireRecord[];
    try {
      const h = readHeader(bytes);
      if (st.phase === 'secure') {
        if (!h.encrypted) return this.close(conn, CloseCode.PROTOCOL_ERROR, 'plaintext frame after login');
        // R-SEC-22: the client should have resumed before this; never open a frame under a nonce
        // the counter can no longer keep unique.
        if (st.rx.counter >= FRAME_COUNTER_LIMIT) return this.close(conn, CloseCode.KEYS_EXHAUSTED);
        const opened = openFrame(h, st.rx);
        if (!opened.ok)
          return this.close(conn, opened.fault === 'replay' ? CloseCode.REPLAY : CloseCode.DECRYPT_FAILED);
        records = opened.records;
      } else {
        if (h.encrypted) return this.malformed(conn, 'encrypted frame before login');
        // Copy: the records outlive this callback and uWS reuses `data`. R-SEC-21: few records
        // per frame before login.
        records = decodeRecords(bytes.slice(h.header.byteLength), PRE_LOGIN_MAX_RECORDS_PER_FRAME);
      }
    } catch (e) {
      if (e instanceof FrameError) return this.malformed(conn, e.message);
      this.log.error({ err: e, socketId: conn.socketId }, 'frame handling failed');
      return this.close(conn, CloseCode.PROTOCOL_ERROR);
    }
    const now = this.clock.now();
    conn.lastHeartbeatMs = now; // any traffic proves liveness
    for (const r of records) {
      // A record can close the connection (sustained rate abuse); the rest of its frame is void.
      // Going on would re-create the rate limiter's entry for a socket that is already gone.
      if (conn.state.phase === 'closing') return;
      this.record(conn, r, now);
    }
  }

  private record(conn: Connection, record: WireRecord, now: number): void {
    // R-SEC-21: every record is charged before it is looked at, whatever it turns out to be (a
    // parse failure, a heartbeat, a request the session state refuses): each one costs an answer.
    if (conn.state.phase === 'anonymous') {
      const a = this.perAddress.check(conn.ip);
      if (!a.ok) {
        return this.respondError(conn, record.requestId, {
          code: ErrorCode.RATE_LIMITED,
          message: 'too many sign-in requests from this address',
          retryAfterMs: a.retryAfterMs,
        });
      }
    }
    const parsed = parseRequest(record);
    const candidate = parsed.ok ? parsed.value : null;
    const session = conn.session;
    const def = candidate ? requests[candidate.type] : null;
    // What the session state refuses costs what a parse failure does: one answer, no work.
    const refused = def !== null && (def.public ? session !== null : session === null);
    // A heartbeat of a session is charged to a bucket of its own, so that it still proves
    // liveness while the general bucket is empty (R-LIM-2); everything else to the general one.
    const heartbeat = candidate?.type === 'sys.heartbeat' && !refused;
    const bucket = heartbeat ? this.heartbeats : this.limiter;
    const cost =
      candidate && !refused && candidate.type !== 'sys.heartbeat'
        ? this.costOf(candidate.type, def?.public === true)
        : 1;
    const rate = bucket.check(conn.socketId, cost);
    if (!rate.ok) {
      if (rate.abusive) return this.close(conn, CloseCode.RATE_LIMITED);
      return this.respondError(conn, record.requestId, {
        code: ErrorCode.RATE_LIMITED,
        message: bucket === this.heartbeats ? 'too many heartbeats' : 'too many requests',
        retryAfterMs: rate.retryAfterMs,
      });
    }
    if (!parsed.ok) {
      // A client that keeps sending what does not parse is broken or probing: each one is a
      // strike, like a refusal, so a flood of them closes with RATE_LIMITED.
      if (this.limiter.strike(conn.socketId)) return this.close(conn, CloseCode.RATE_LIMITED);
      return this.respondError(conn, record.requestId, parsed.error);
    }
    const packet = parsed.value;
    let counter = this.packetCounters.get(packet.type);
    if (!counter) {
      counter = this.metrics.packetsIn.labels({ type: packet.type });
      this.packetCounters.set(packet.type, counter);
    }
    counter.inc();
    if (refused && !session) {
      return this.respondError(conn, packet.requestId, {
        code: ErrorCode.NOT_LOGGED_IN,
        message: `${packet.type} needs a logged-in session`,
      });
    }
    if (refused) {
      return this.respondError(conn, packet.requestId, {
        code: ErrorCode.ALREADY_LOGGED_IN,
        message: `${packet.type} is only valid before login`,
      });
    }
    // The network module answers heartbeats itself; they refresh liveness only.
    if (packet.type === 'sys.heartbeat') {
      return this.enqueue(conn, encodeResult(packet.requestId, { serverTimeMs: now }), true);
    }
    conn.lastActivityMs = now;
    if (conn.pending >= MAX_IN_FLIGHT) {
      return this.respondError(conn, packet.requestId, {
        code: ErrorCode.RATE_LIMITED,
        message: 'too many requests waiting',
        retryAfterMs: 100,
      });
    }
    conn.pending++;
    // Requests of one connection run one after another, so replies and side effects keep the
    // order the client sent them in (chat order per conversation depends on it).
    conn.chain = conn.chain.then(() => this.run(conn, packet)).finally(() => conn.pending--);
  }

  private costOf(type: ModulePacket['type'], isPublic: boolean): number {
    if (isPublic) return 1;
    return (this.hooks.costOf?.(type) ?? 'db') === 'memory' ? 1 : this.config.DB_REQUEST_COST;
  }

  private async run(conn: Connection, packet: ModulePacket): Promise<void> {
    if (conn.state.phase === 'closing') return;
    const wasAnonymous = conn.state.phase === 'anonymous';
    const expiry = { expired: false };
    const ctx: RequestContext = {
      socketId: conn.socketId,
      ip: conn.ip,
      requestId: packet.requestId,
      session: conn.session,
      connection: this.control(conn, expiry),
    };
    const endTimer = this.metrics.requestDuration.startTimer();
    try {
      const result = await this.withDeadline(this.dispatch(ctx, packet), expiry, () =>
        this.log.warn({ type: packet.type, socketId: conn.socketId }, 'request deadline passed'),
      );
      if (result !== SILENT) this.enqueue(conn, encodeResult(packet.requestId, result ?? {}), true);
    } catch (err) {
      const { body, internal } = toErrorBody(err);
      if (internal) this.log.error({ err, type: packet.type, socketId: conn.socketId }, 'request failed');
      this.respondError(conn, packet.requestId, body);
    }
    endTimer();
    const hooks = conn.afterResponse;
    if (hooks.length > 0) {
      conn.afterResponse = [];
      for (const fn of hooks) fn();
    }
    // R-SEC-3: clients trust only a node list that came encrypted (the hello's is plaintext), so
    // a socket this request just secured (login, resume) hears the current one right after the
    // result; a newer sys.nodes held below follows it and wins.
    const peers = wasAnonymous && conn.state.phase === 'secure' ? (this.hooks.peers?.() ?? []) : [];
    if (peers.length > 0) this.enqueue(conn, encodeEvent('sys.nodes', { nodes: peers }));
    // Packets that reached the session while it was being bound here go last: after the result
    // and after what the session had queued before (so they keep their order), and encrypted.
    if (conn.state.phase === 'secure' && conn.heldForSecure.length > 0) {
      const held = conn.heldForSecure;
      conn.heldForSecure = [];
      for (const r of held) this.enqueue(conn, r);
    }
    const after = conn.closeAfterResponse;
    if (after) {
      conn.closeAfterResponse = null;
      this.close(conn, after.code, after.reason);
    }
  }

  /**
   * Races a handler against REQUEST_TIMEOUT_MS. On expiry the request is answered UNAVAILABLE and
   * the connection's queue moves on; the handler may still finish later, but it can no longer
   * act on the connection (its answer was given), and its outcome is dropped.
   */
  private withDeadline<T>(work: Promise<T>, expiry: { expired: boolean }, onExpiry: () => void): Promise<T> {
    const ms = this.config.REQUEST_TIMEOUT_MS;
    if (ms <= 0) return work;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        expiry.expired = true;
        onExpiry();
        reject(new AppError(ErrorCode.UNAVAILABLE, 'the request took too long; a dependency may be down'));
      }, ms);
    });
    // race() subscribes to `work`, so its late rejection is handled, never an unhandled one.
    return Promise.race([work, deadline]).finally(() => clearTimeout(timer));
  }

  private control(conn: Connection, expiry: { expired: boolean }): ConnectionControl {
    const live = (what: string) => {
      if (expiry.expired) throw new Error(`${what} after the request was answered UNAVAILABLE (deadline)`);
    };
    return {
      secure: (keys, session) => {
        live('secure()');
        if (conn.state.phase !== 'anonymous')
          throw new Error('invariant: secure() on a non-anonymous connection');
        // Nothing queued here is flushed in plaintext: a packet routed to the new session before
        // this point (a friend's message, a presence notice) must not leave unencrypted. The
        // client installs its receive key before it sends login/resume, so it reads them all.
        conn.state = {
          phase: 'secure',
          session,
          rx: { cipher: new NodeGcm(keys.c2s), counter: 0 },
          tx: new NodeGcm(keys.s2c),
          txCounter: 0,
        };
        conn.lastHeartbeatMs = this.clock.now();
      },
      closeAfterResponse: (code, reason) => {
        live('closeAfterResponse()');
        conn.closeAfterResponse = { code, reason };
      },
      afterResponse: (fn) => {
        live('afterResponse()');
        conn.afterResponse.push(fn);
      },
      isOpen: () => this.isOpen(conn.socketId),
    };
  }

  /**
   * Queues a record for the socket; the records of one event-loop turn leave as one frame (several
   * past MAX_RECORDS_PER_FRAME).
   */
  send(socketId: string, record: WireRecord): boolean {
    return this.sendMany(socketId, [record]);
  }

  /** Session traffic (presence, routing). Before the socket is secured it is held, not sent. */
  sendMany(socketId: string, records: readonly WireRecord[]): boolean {
    const conn = this.conns.get(socketId);
    if (!conn || conn.state.phase === 'closing') return false;
    if (conn.state.phase === 'anonymous') conn.heldForSecure.push(...records);
    else for (const r of records) this.enqueue(conn, r);
    return true;
  }

  /**
   * A record for every open socket, logged in or not: one that is not yet holds it until its
   * session is secured, like any session traffic (sys.nodes, R-CLU-38).
   */
  broadcastAll(record: WireRecord): void {
    for (const socketId of this.conns.keys()) this.sendMany(socketId, [record]);
  }

  /** Flushes what is queued, then closes with a documented code. */
  closeSocket(socketId: string, code: number, reason?: string): void {
    const conn = this.conns.get(socketId);
    if (conn) this.close(conn, code, reason);
  }

  private enqueue(conn: Connection, record: WireRecord, answer = false): void {
    conn.outbox.push(record);
    this.dirty.add(conn);
    if (answer) this.answering.add(conn);
    if (!this.flushScheduled) {
      this.flushScheduled = true;
      setImmediate(() => this.flushAll());
    }
  }

  flushAll(): void {
    this.flushScheduled = false;
    // R-SEC-5: answers first. A request that delivers to someone else (chat.send, rtc.signal)
    // queues that delivery before its own result; sealing and writing the recipient's frame first
    // would delay the ack only when the recipient is online, and so tell an invisible friend from
    // an offline one by timing.
    for (const conn of this.answering) this.flush(conn);
    this.answering.clear();
    for (const conn of this.dirty) this.flush(conn);
    this.dirty.clear();
    this.countFrames();
  }

  private countFrames(): void {
    if (this.framesSent === 0) return;
    this.metrics.framesOut.inc(this.framesSent);
    this.framesSent = 0;
  }

  private flush(conn: Connection): void {
    this.dirty.delete(conn);
    const records = conn.outbox;
    if (records.length === 0 || conn.state.phase === 'closing') return;
    conn.outbox = [];
    const st = conn.state;
    // One frame per turn, unless more records are due than a frame may carry (receivers refuse
    // frames of more than MAX_RECORDS_PER_FRAME records; the SDK would drop the connection).
    for (let i = 0; i < records.length; i += MAX_RECORDS_PER_FRAME) {
      const chunk =
        records.length <= MAX_RECORDS_PER_FRAME ? records : records.slice(i, i + MAX_RECORDS_PER_FRAME);
      let frame: Uint8Array;
      if (st.phase === 'secure') {
        // R-SEC-22: what is left goes nowhere; the close below makes the client resume.
        if (st.txCounter >= FRAME_COUNTER_LIMIT) break;
        frame = sealFrame(st.tx, st.txCounter++, chunk);
      } else {
        frame = encodePlainFrame(PROTOCOL_VERSION, chunk);
      }
      this.framesSent++;
      conn.port.send(frame);
    }
    if (st.phase === 'secure' && st.txCounter >= FRAME_COUNTER_LIMIT)
      return this.close(conn, CloseCode.KEYS_EXHAUSTED);
    if (conn.port.bufferedAmount() > this.config.MAX_BACKPRESSURE_BYTES)
      this.close(conn, CloseCode.SLOW_READER);
  }

  private respondError(conn: Connection, requestId: number, body: ErrorBody): void {
    this.metrics.errors.inc({ code: body.code });
    this.enqueue(
      conn,
      requestId === 0 ? encodeEvent('sys.error', body) : encodeError(requestId, body),
      requestId !== 0,
    );
  }

  private malformed(conn: Connection, message: string): void {
    if (++conn.malformedFrames > this.config.MAX_MALFORMED_FRAMES) {
      return this.close(conn, CloseCode.PROTOCOL_ERROR, 'too many malformed frames');
    }
    this.respondError(conn, 0, { code: ErrorCode.BAD_FRAME, message });
  }

  close(conn: Connection, code: CloseCode | number, reason?: string): void {
    if (conn.state.phase === 'closing') return;
    this.flush(conn);
    this.countFrames();
    conn.state = { phase: 'closing' };
    this.metrics.closes.inc({ code: String(code) });
    conn.port.close(code, reason ?? CloseReason[code as CloseCode] ?? 'closed');
  }

  /** Pre-login deadline and heartbeat timeout. Called about once a second. */
  sweep(): void {
    const now = this.clock.now();
    this.perAddress.prune();
    this.limiter.prune();
    this.heartbeats.prune();
    for (const conn of this.conns.values()) {
      const st = conn.state;
      if (st.phase === 'anonymous' && now - conn.openedAtMs > this.config.PRE_LOGIN_DEADLINE_MS) {
        this.close(conn, CloseCode.LOGIN_TIMEOUT);
      } else if (st.phase === 'secure' && now - conn.lastHeartbeatMs > this.config.HEARTBEAT_TIMEOUT_MS) {
        this.close(conn, CloseCode.HEARTBEAT_TIMEOUT);
      }
    }
  }

  /** Closes every socket (shutdown). */
  closeAll(code: number): void {
    for (const conn of [...this.conns.values()]) this.close(conn, code);
  }
}

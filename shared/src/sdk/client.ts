import {
  type Bytes,
  constantTimeEqual,
  fromBase64,
  randomBytes,
  randomNonce,
  toBase64,
} from '../crypto/bytes';
import { resumeClientProof, resumeIkm, resumeServerProof, resumeTranscript } from '../crypto/resume';
import {
  authMessage,
  type ClientSecrets,
  clientProof,
  clientSecrets,
  deriveScramKeys,
  serverSignature,
} from '../crypto/scram';
import { deriveSessionKeys, generateEphemeral, sharedSecret } from '../crypto/session';
import { CloseCode, ClosePolicy } from '../protocol/codes';
import type { WireRecord } from '../protocol/frame';
import {
  type EventBody,
  type EventName,
  type EventPacket,
  type HelloLimits,
  type LoginMode,
  type OwnProfile,
  type ParamsIn,
  type PresenceStatus,
  type RequestName,
  type Result,
  requests,
  type SessionInfo,
} from '../protocol/packets';
import { encodeRequest, parseServerRecord } from '../protocol/parse';
import { fullJitterDelayMs } from './backoff';
import { ChannelError, type CipherFactory, ClientChannel, subtleCipherFactory } from './channel';
import { type ChatEvents, type ChatOptions, ChatSync } from './chat-sync';
import { Emitter } from './emitter';
import { ClientErrorCode, ImError } from './errors';
import { type ReceiptEvents, ReceiptsApi, type ReceiptsOptions } from './receipts';
import {
  checkScramParams,
  SCRAM_MAX_ITERATIONS,
  SCRAM_MIN_ITERATIONS,
  type ScramBounds,
} from './scram-bounds';
import { SettingsApi } from './settings';
import { browserSocketFactory, OPEN, type SocketFactory, type SocketLike, toBytes } from './transport';

export type ClientState =
  | { status: 'idle' }
  | { status: 'connecting' }
  | { status: 'open'; socketId: string; nodeId: string }
  | {
      status: 'authenticated';
      socketId: string;
      nodeId: string;
      sessionId: string;
      userId: number;
      username: string;
      mode: LoginMode;
    }
  /** The connection dropped; the SDK is reconnecting and will resume the same session. */
  | { status: 'reconnecting'; attempt: number; delayMs: number; lastCode: number }
  | { status: 'closed'; code: number; reason: string };

/** What it takes to resume a session without the password (keep it like a password). */
export interface ResumeCredentials {
  sessionId: string;
  resumeToken: string;
  /** base64 of the 32-byte resume key derived in the key exchange. */
  resumeKey: string;
  username: string;
  /**
   * The user's own status, kept current by the SDK (login, resume, `presence.setStatus`): sent
   * with a resume so a re-created session keeps it (an invisible user stays invisible).
   */
  status?: PresenceStatus;
}

export interface ReconnectOptions {
  enabled: boolean;
  baseDelayMs?: number;
  maxDelayMs?: number;
  maxAttempts?: number;
  /** Injectable jitter source (tests); Math.random by default. */
  random?: () => number;
}

export interface ClientOptions {
  url: string;
  socketFactory?: SocketFactory;
  requestTimeoutMs?: number;
  /** PBKDF2 iterations used when registering or changing the password. */
  scramIterations?: number;
  /**
   * R-SEC-1: the fewest PBKDF2 iterations a login or reauth challenge may ask for before the SDK
   * refuses to send a proof (default 4096, the server's SCRAM_MIN_ITERATIONS default). Raise it to
   * your deployment's floor.
   */
  scramMinIterations?: number;
  /** R-SEC-1: the most iterations a challenge may ask for (default 10,000,000). */
  scramMaxIterations?: number;
  /** Send heartbeats at the interval the server announces (default true). */
  heartbeat?: boolean;
  cipherFactory?: CipherFactory;
  /** Reconnect and resume after an unexpected close (default: on, 250 ms → 5 s full-jitter backoff). */
  reconnect?: ReconnectOptions;
  /** Durable messages: sync at login/resume (default on), page size, send retries. */
  chat?: ChatOptions;
  /** Receipts and typing: automatic delivered receipts (default on), typing idle time. */
  receipts?: ReceiptsOptions;
}

export interface LoginOptions {
  mode?: LoginMode;
  sceneId?: string;
  /**
   * Arrive as this status; `invisible` logs in unseen (R-PRS-3). One status per user: it applies
   * to the user's other sessions too; absent, the session takes theirs (else online, R-DEV-5).
   */
  status?: PresenceStatus;
  /** R-DEV-4: a short label for this device in the user's session list (1–40 characters). */
  device?: string;
}

type EventMap = { [K in EventName]: EventBody<K> } & ChatEvents &
  ReceiptEvents & {
    state: ClientState;
    /** A frame or protocol problem the client detected (the connection is closed after it). */
    protocolError: ChannelError;
    /** New resume credentials (after login and after every resume): persist them to survive a reload. */
    credentials: ResumeCredentials;
    /** A resume succeeded. `seamless` is false when the server had to re-create the session. */
    resumed: { seamless: boolean };
    /** The session is gone for good (ended, expired, replaced): log in again. */
    sessionLost: { code: number | string; reason: string };
    /** The server moved this session to another node; the SDK follows by itself. */
    redirected: { url: string; reason: string };
  };

interface Pending {
  name: RequestName;
  /** What was asked, for the few results the SDK itself acts on (settleResult). */
  params: unknown;
  resolve: (v: unknown) => void;
  reject: (e: ImError) => void;
  timer: ReturnType<typeof setTimeout>;
  /** Sees the result synchronously, in frame order, before the promise settles (chat acks). */
  onResult?: ((v: unknown) => void) | undefined;
}

export const DEFAULT_SCRAM_ITERATIONS = 100_000;

/**
 * The client SDK: one connection, typed requests with timeouts, typed events, an observable state.
 * Runs in browsers (WebCrypto, global WebSocket) and in Node 20 (see ./node.ts).
 */
export class ImClient {
  readonly events = new Emitter<EventMap>();
  private _state: ClientState = { status: 'idle' };
  private socket: SocketLike | null = null;
  private channel: ClientChannel | null = null;
  private nextRequestId = 1;
  private readonly pending = new Map<number, Pending>();
  private heartbeatTimer: ReturnType<typeof setInterval> | null = null;
  private hello: EventBody<'sys.hello'> | null = null;
  private creds: ResumeCredentials | null = null;
  private closedByUser = false;
  private reconnectTimer: ReturnType<typeof setTimeout> | null = null;
  private url: string;
  private redirectPending = false;
  /** Other nodes the server told us about, tried in turn when reconnecting here fails. */
  private fallbackUrls: string[] = [];
  private readonly factory: SocketFactory;
  private readonly cipherFactory: CipherFactory;
  /** Durable messages: cursors, gap fill, catch-up, idempotent sends (R-SDK-1..4). */
  readonly chat: ChatSync;
  /** The user's settings that follow them across devices (R-SET-1..3). */
  readonly settings = new SettingsApi({
    request: (name, params) => this.request(name, params),
    onChanged: (fn) => this.events.on('settings.changed', (e) => fn(e.settings)),
  });
  /** Receipts and typing (R-RCP-*, R-TYP-*): delivered receipts, the receipts list, typing. */
  readonly receipts: ReceiptsApi;
  /**
   * R-SEC-2: events of encrypted frames that arrive while a login or resume result is still to be
   * verified (null otherwise). A man in the middle that swapped in its own key can encrypt them but
   * cannot sign the result: they reach the application only once the signature checks out.
   */
  private held: EventPacket[] | null = null;

  constructor(readonly options: ClientOptions) {
    this.chat = new ChatSync(
      {
        request: (name, params, onResult) => this.requestAck(name, params, onResult),
        onEvent: (name, fn) => {
          this.events.on(name, fn as never);
        },
        emit: (name, value) => this.events.emit(name, value as never),
        userId: () => (this._state.status === 'authenticated' ? this._state.userId : null),
      },
      options.chat,
    );
    this.receipts = new ReceiptsApi(
      {
        request: (name, params) => this.request(name, params),
        online: () => this._state.status === 'authenticated',
        onEvent: (name, fn) => {
          this.events.on(name, fn as never);
        },
        onMessage: (fn) => {
          this.events.on('message', fn);
        },
        emit: (name, value) => this.events.emit(name, value as never),
      },
      options.receipts,
    );
    this.factory = options.socketFactory ?? browserSocketFactory;
    this.cipherFactory = options.cipherFactory ?? subtleCipherFactory;
    this.url = options.url;
    // R-CLU-32: every client obeys a redirect: keep the session, swap in the redirect ticket,
    // and resume on the node named (the close with REDIRECT that follows triggers the move).
    this.events.on('session.redirect', (r) => {
      if (!this.creds) return;
      this.creds = { ...this.creds, resumeToken: r.resumeToken };
      this.url = r.url;
      this.redirectPending = true;
      this.events.emit('redirected', { url: r.url, reason: r.reason });
    });
    // R-CLU-38: the other nodes, sent after every login and resume and on every change. Only
    // this authenticated list counts (R-SEC-3): the plaintext hello's `nodes` could come from
    // anyone on the way, and a fallback list sends the client (and its ticket) elsewhere.
    this.events.on('sys.nodes', (n) => {
      this.fallbackUrls = n.nodes;
    });
    // R-RES-5: a newer ticket for the same session (its scene changed): persist it.
    this.events.on('session.ticket', (t) => {
      if (this.creds) this.saveCredentials({ ...this.creds, resumeToken: t.resumeToken });
    });
  }

  /** The WebSocket URL this client connects (or reconnects) to. */
  get currentUrl(): string {
    return this.url;
  }

  /** The other nodes this client would fall back on if its node went away. */
  get fallbacks(): readonly string[] {
    return this.fallbackUrls;
  }

  /**
   * The server's limits from its last `sys.hello` (R-HELLO-1): longest chat text, chat rate and
   * burst, pre-login deadline. Null before the first hello. Shape input to these, don't hard-code.
   */
  get limits(): HelloLimits | null {
    return this.hello?.limits ?? null;
  }

  /** The current resume credentials, if logged in. */
  get credentials(): ResumeCredentials | null {
    return this.creds;
  }

  get state(): ClientState {
    return this._state;
  }

  on<K extends keyof EventMap>(name: K, fn: (value: EventMap[K]) => void): () => void {
    return this.events.on(name, fn);
  }

  /** Resolves with the server's hello once the socket is open. */
  connect(): Promise<EventBody<'sys.hello'>> {
    if (this.socket) throw new Error('already connected');
    this.closedByUser = false;
    if (this._state.status !== 'reconnecting') this.setState({ status: 'connecting' });
    const ws = this.factory(this.url);
    ws.binaryType = 'arraybuffer';
    this.socket = ws;
    this.channel = new ClientChannel(
      (frame) => {
        if (ws.readyState === OPEN) ws.send(frame);
      },
      (records, encrypted) => this.onRecords(records, encrypted),
      (err) => {
        // R-SEC-22: not an error of anyone's; the close code is not terminal, so the SDK
        // reconnects and resumes, which derives fresh keys whose counters start at 0.
        if (err.kind === 'exhausted') return ws.close(CloseCode.KEYS_EXHAUSTED, err.message);
        this.events.emit('protocolError', err);
        ws.close(1002, err.message);
      },
    );
    return new Promise((resolve, reject) => {
      const offHello = this.events.on('sys.hello', (h) => {
        offHello();
        this.hello = h;
        if (this._state.status !== 'reconnecting')
          this.setState({ status: 'open', socketId: h.socketId, nodeId: h.nodeId });
        resolve(h);
      });
      ws.onmessage = (ev) => {
        const bytes = toBytes(ev.data);
        if (bytes) this.channel?.receive(bytes);
      };
      ws.onclose = (ev) => {
        offHello();
        reject(new ImError(ClientErrorCode.DISCONNECTED, `closed before hello (${ev.code})`));
        // Frames that arrived before the close are still being decrypted: let them land first
        // (a logout's result is followed at once by the close).
        const channel = this.channel;
        void (channel ? channel.drained() : Promise.resolve()).then(() => this.onClose(ev.code, ev.reason));
      };
      ws.onerror = () => undefined; // onclose follows with the code
    });
  }

  request<K extends RequestName>(name: K, params: ParamsIn<K>): Promise<Result<K>> {
    return this.requestAck(name, params);
  }

  /** `onResult` sees the result as its record is read, before any record after it in the frame. */
  private requestAck<K extends RequestName>(
    name: K,
    params: ParamsIn<K>,
    onResult?: (r: Result<K>) => void,
  ): Promise<Result<K>> {
    const channel = this.channel;
    if (!channel || !this.socket || this.socket.readyState !== OPEN) {
      return Promise.reject(new ImError(ClientErrorCode.DISCONNECTED, 'not connected'));
    }
    const requestId = this.nextRequestId++;
    return new Promise<Result<K>>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(requestId);
        reject(new ImError(ClientErrorCode.TIMEOUT, `${name} timed out`));
      }, this.options.requestTimeoutMs ?? 10_000);
      this.pending.set(requestId, {
        name,
        params,
        resolve: resolve as (v: unknown) => void,
        reject,
        timer,
        onResult: onResult as ((v: unknown) => void) | undefined,
      });
      channel.send([encodeRequest(name, requestId, params)]).catch((e: unknown) => {
        this.settle(requestId, undefined, new ImError(ClientErrorCode.DISCONNECTED, String(e)));
      });
    });
  }

  async register(username: string, password: string, displayName?: string): Promise<number> {
    const iterations = this.options.scramIterations ?? DEFAULT_SCRAM_ITERATIONS;
    const keys = await deriveScramKeys(password, randomBytes(16), iterations);
    const r = await this.request('auth.register', {
      username,
      ...(displayName ? { displayName } : {}),
      ...keys,
    });
    return r.userId;
  }

  /**
   * SCRAM-SHA-256 with an X25519 exchange bound into the auth message; then everything is
   * encrypted. A REDIRECT answer (node full, scene hosted elsewhere) is followed: reconnect to the
   * node named and log in there, at most twice.
   */
  async login(username: string, password: string, opts: LoginOptions = {}): Promise<OwnProfile> {
    for (let hop = 0; ; hop++) {
      try {
        return await this.loginHere(username, password, opts);
      } catch (e) {
        if (!(e instanceof ImError) || e.code !== 'REDIRECT' || !e.redirectUrl || hop >= 2) throw e;
        this.events.emit('redirected', { url: e.redirectUrl, reason: e.message });
        await this.reconnectTo(e.redirectUrl);
      }
    }
  }

  /** Closes this socket (no reconnect) and connects to another node. */
  private async reconnectTo(url: string): Promise<void> {
    const ws = this.socket;
    if (ws) {
      const gone = new Promise<void>((resolve) => {
        const off = this.events.on('state', (st) => {
          if (st.status === 'closed') {
            off();
            resolve();
          }
        });
      });
      this.closedByUser = true;
      ws.close(1000, 'redirect');
      await gone;
    }
    this.url = url;
    await this.connect();
  }

  private async loginHere(username: string, password: string, opts: LoginOptions): Promise<OwnProfile> {
    const channel = this.requireChannel();
    const eph = await generateEphemeral();
    const clientNonce = randomNonce();
    const ch = await this.request('auth.challenge', {
      username,
      clientNonce,
      clientPublicKey: eph.publicKey,
    });
    if (!ch.nonce.startsWith(clientNonce))
      throw new ImError(ClientErrorCode.SERVER_AUTH_FAILED, 'nonce mismatch');
    try {
      checkScramParams(ch, this.scramBounds());
    } catch (e) {
      this.close(1000, 'unsafe SCRAM parameters');
      throw e;
    }
    const secrets = await clientSecrets(password, ch.salt, ch.iterations);
    const am = authMessage({
      username,
      clientNonce,
      nonce: ch.nonce,
      salt: ch.salt,
      iterations: ch.iterations,
      clientPublicKey: eph.publicKey,
      serverPublicKey: ch.serverPublicKey,
      status: opts.status,
      mode: opts.mode ?? 'normal',
      sceneId: opts.sceneId,
    });
    const keys = await deriveSessionKeys(await sharedSecret(eph, ch.serverPublicKey), am);
    // The login result is the server's first encrypted frame, so the receive key goes in first.
    channel.setReceiveCipher(await this.cipherFactory(keys.s2c));
    const proof = await clientProof(secrets, am);
    const res = await this.holdingEvents(async () => {
      const r = await this.request('auth.login', {
        nonce: ch.nonce,
        clientProof: proof,
        mode: opts.mode ?? 'normal',
        ...(opts.sceneId ? { sceneId: opts.sceneId } : {}),
        ...(opts.status ? { status: opts.status } : {}),
        ...(opts.device ? { device: opts.device } : {}),
      });
      const expected = await serverSignature(secrets.serverKey, am);
      if (!constantTimeEqual(expected, r.serverSignature)) {
        this.close(1000, 'server signature mismatch');
        throw new ImError(ClientErrorCode.SERVER_AUTH_FAILED, 'the server could not prove it knows our keys');
      }
      return r;
    });
    channel.setSendCipher(await this.cipherFactory(keys.c2s));
    const s = this._state;
    if (s.status !== 'open') throw new ImError(ClientErrorCode.DISCONNECTED, 'connection lost during login');
    this.established(s, { ...res, mode: opts.mode ?? 'normal' }, keys.resume);
    return res.profile;
  }

  /**
   * Resumes a session on this (new) connection with a fresh key exchange proven by the old
   * session's resume key: no password. Used after a drop, a reload and a redirect.
   */
  async resume(creds: ResumeCredentials): Promise<{ seamless: boolean; profile: OwnProfile }> {
    const channel = this.requireChannel();
    const hello = this.hello;
    if (!hello) throw new ImError(ClientErrorCode.DISCONNECTED, 'not connected');
    const resumeKey = fromBase64(creds.resumeKey);
    const eph = await generateEphemeral();
    const clientNonce = randomNonce();
    const ch = await this.request('auth.resumeChallenge', {
      resumeToken: creds.resumeToken,
      clientNonce,
      clientPublicKey: eph.publicKey,
    });
    if (!ch.nonce.startsWith(clientNonce))
      throw new ImError(ClientErrorCode.SERVER_AUTH_FAILED, 'nonce mismatch');
    const transcript = resumeTranscript({
      sessionId: creds.sessionId,
      nonce: ch.nonce,
      clientPublicKey: eph.publicKey,
      serverPublicKey: ch.serverPublicKey,
      status: creds.status,
    });
    const secret = await sharedSecret(eph, ch.serverPublicKey);
    const keys = await deriveSessionKeys(resumeIkm(secret, resumeKey), transcript);
    channel.setReceiveCipher(await this.cipherFactory(keys.s2c));
    const proof = await resumeClientProof(resumeKey, transcript);
    const res = await this.holdingEvents(async () => {
      const r = await this.request('auth.resume', {
        nonce: ch.nonce,
        proof,
        ...(creds.status ? { status: creds.status } : {}),
      });
      if (!constantTimeEqual(await resumeServerProof(resumeKey, transcript), r.serverProof)) {
        this.close(1000, 'server proof mismatch');
        throw new ImError(
          ClientErrorCode.SERVER_AUTH_FAILED,
          'the server could not prove it knows the session',
        );
      }
      return r;
    });
    channel.setSendCipher(await this.cipherFactory(keys.c2s));
    this.established(hello, res, keys.resume);
    this.events.emit('resumed', { seamless: res.resumed });
    return { seamless: res.resumed, profile: res.profile };
  }

  /** R-SDK-4: the user's conversations with news (chat.sync); the login/resume catch-up emits them as `sync`. */
  sync() {
    return this.chat.sync();
  }

  /** R-SDK-4: one page of a conversation (afterSeq: forward; otherwise backward from beforeSeq). */
  history(conv: string, opts: { beforeSeq?: number; afterSeq?: number; limit?: number } = {}) {
    return this.chat.history(conv, opts);
  }

  /** R-SDK-4: moves the read position forward; the user's other sessions get a `read` event. */
  markRead(conv: string, seq: number) {
    return this.chat.markRead(conv, seq);
  }

  /** R-SDK-3: a friend message, idempotent across reconnects (SDK-chosen clientId unless given: a retry passes the first one). */
  send(to: number, text: string, clientId?: string) {
    return this.chat.send(to, text, clientId);
  }

  /** R-SDK-3: a group message, idempotent across reconnects. */
  sendGroup(groupId: number, text: string, clientId?: string) {
    return this.chat.sendGroup(groupId, text, clientId);
  }

  async logout(): Promise<void> {
    await this.request('auth.logout', {});
    this.creds = null;
    this.close(1000, 'logout');
  }

  /** Connects to another node and resumes there (redirect, or a node that went away). */
  async moveTo(url: string): Promise<void> {
    this.url = url;
    this.socket?.close(1000, 'moving');
  }

  /** A login or a resume succeeded on this socket: keep its credentials, report it, beat. */
  private established(
    socket: { socketId: string; nodeId: string },
    res: {
      sessionId: string;
      resumeToken: string;
      profile: OwnProfile;
      status: PresenceStatus;
      mode: LoginMode;
    },
    resumeKey: Uint8Array,
  ): void {
    // Cursors belong to one user: another account on this client starts afresh.
    const prev = this.creds?.username;
    if (prev !== undefined && prev !== res.profile.username) {
      this.chat.reset();
      this.receipts.reset();
    }
    this.saveCredentials({
      sessionId: res.sessionId,
      resumeToken: res.resumeToken,
      resumeKey: toBase64(resumeKey),
      username: res.profile.username,
      status: res.status,
    });
    this.setState({
      status: 'authenticated',
      socketId: socket.socketId,
      nodeId: socket.nodeId,
      sessionId: res.sessionId,
      userId: res.profile.userId,
      username: res.profile.username,
      mode: res.mode,
    });
    this.startHeartbeat();
    // R-SEC-2: the result verified, so what came with it is the server's: deliver it in order.
    const held = this.held ?? [];
    this.held = null;
    for (const e of held) this.emitEvent(e);
    this.chat.sessionStarted();
  }

  /**
   * R-SEC-2: runs a login or resume request and its verification with events held; if either
   * fails, the held events are dropped (a successful one releases them in `established`).
   */
  private async holdingEvents<T>(work: () => Promise<T>): Promise<T> {
    this.held = [];
    try {
      return await work();
    } catch (e) {
      this.held = null;
      throw e;
    }
  }

  private saveCredentials(c: ResumeCredentials): void {
    this.creds = c;
    this.events.emit('credentials', c);
  }

  private scheduleReconnect(attempt: number, lastCode: number): void {
    const r = this.options.reconnect ?? { enabled: true };
    const max = r.maxAttempts ?? Number.POSITIVE_INFINITY;
    if (attempt > max || !this.creds) {
      this.setState({ status: 'closed', code: lastCode, reason: 'gave up reconnecting' });
      return;
    }
    // The first retry goes at once (a dropped socket is usually a blip); then full-jitter backoff.
    const delayMs =
      attempt === 1
        ? 0
        : fullJitterDelayMs(attempt, {
            baseDelayMs: r.baseDelayMs ?? 250,
            maxDelayMs: r.maxDelayMs ?? 5000,
            random: r.random,
          });
    this.setState({ status: 'reconnecting', attempt, delayMs, lastCode });
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = null;
      void this.reconnectOnce(attempt, lastCode);
    }, delayMs);
  }

  private async reconnectOnce(attempt: number, lastCode: number): Promise<void> {
    const creds = this.creds;
    if (!creds || this.closedByUser) return;
    try {
      await this.connect();
    } catch {
      // This node is unreachable: next time try another one it told us about (a node that
      // died). The socket's close brings us back to scheduleReconnect.
      const next = this.fallbackUrls.shift();
      if (next) {
        this.fallbackUrls.push(this.url);
        this.url = next;
      }
      if (!this.socket) this.scheduleReconnect(attempt + 1, lastCode);
      return;
    }
    try {
      await this.resume(creds);
    } catch (e) {
      const err = e instanceof ImError ? e : new ImError(ClientErrorCode.DISCONNECTED, String(e));
      if (err.code === 'AUTH_FAILED' || err.code === 'SERVER_AUTH_FAILED') {
        this.creds = null;
        this.events.emit('sessionLost', { code: err.code, reason: err.message });
        this.socket?.close(1000, 'session lost');
        this.setState({ status: 'closed', code: lastCode, reason: err.message });
        return;
      }
      // The socket is up but the resume failed for another reason: its close brings us back.
      this.socket?.close(1000, 'resume failed');
    }
  }

  /** Proves the current password with a fresh SCRAM exchange (change password, delete account). */
  async reauth(password: string): Promise<{ nonce: string; clientProof: Bytes; secrets: ClientSecrets }> {
    const s = this._state;
    if (s.status !== 'authenticated') throw new ImError('NOT_LOGGED_IN', 'log in first');
    const clientNonce = randomNonce();
    const ch = await this.request('account.reauthChallenge', { clientNonce });
    checkScramParams(ch, this.scramBounds());
    const secrets = await clientSecrets(password, ch.salt, ch.iterations);
    const am = authMessage({
      username: s.username,
      clientNonce,
      nonce: ch.nonce,
      salt: ch.salt,
      iterations: ch.iterations,
    });
    return { nonce: ch.nonce, clientProof: await clientProof(secrets, am), secrets };
  }

  async changePassword(currentPassword: string, newPassword: string): Promise<void> {
    const proof = await this.reauth(currentPassword);
    const iterations = this.options.scramIterations ?? DEFAULT_SCRAM_ITERATIONS;
    const newKeys = await deriveScramKeys(newPassword, randomBytes(16), iterations);
    await this.request('account.changePassword', {
      nonce: proof.nonce,
      clientProof: proof.clientProof,
      newKeys,
    });
  }

  async deleteAccount(password: string): Promise<void> {
    const proof = await this.reauth(password);
    await this.request('account.delete', { nonce: proof.nonce, clientProof: proof.clientProof });
  }

  /** Closes for good: no reconnect. */
  close(code = 1000, reason = ''): void {
    this.closedByUser = true;
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    this.reconnectTimer = null;
    this.socket?.close(code, reason);
    if (!this.socket && this._state.status === 'reconnecting') {
      this.setState({ status: 'closed', code, reason });
    }
  }

  private scramBounds(): ScramBounds {
    return {
      minIterations: this.options.scramMinIterations ?? SCRAM_MIN_ITERATIONS,
      maxIterations: this.options.scramMaxIterations ?? SCRAM_MAX_ITERATIONS,
    };
  }

  private requireChannel(): ClientChannel {
    if (!this.channel) throw new ImError(ClientErrorCode.DISCONNECTED, 'not connected');
    return this.channel;
  }

  private startHeartbeat(): void {
    if (this.options.heartbeat === false || !this.hello) return;
    this.stopHeartbeat();
    this.heartbeatTimer = setInterval(() => {
      this.request('sys.heartbeat', {}).catch(() => undefined);
    }, this.hello.heartbeatIntervalMs);
  }

  private stopHeartbeat(): void {
    if (this.heartbeatTimer) clearInterval(this.heartbeatTimer);
    this.heartbeatTimer = null;
  }

  private onRecords(records: WireRecord[], encrypted: boolean): void {
    for (const record of records) {
      const parsed = parseServerRecord(record);
      if (!parsed.ok) {
        this.events.emit('protocolError', new ChannelError('frame', parsed.error.message));
        continue;
      }
      const p = parsed.value;
      if (p.kind === 'event') {
        this.onEvent(p.event, encrypted);
      } else if (p.kind === 'error') {
        this.settle(p.requestId, undefined, ImError.from(p.error));
      } else {
        this.settleResult(p.requestId, p.payload);
      }
    }
  }

  /**
   * R-SEC-2, R-SEC-3: only what the server authenticated reaches the application. A plaintext
   * frame (before login, from anyone on the way) may carry the hello and errors, nothing else: a
   * real server holds session traffic until the socket is secured. An encrypted one counts once
   * its login or resume result verified; until then it is held, and after a failed check dropped.
   */
  private onEvent(e: EventPacket, encrypted: boolean): void {
    if (!encrypted) {
      if (e.type === 'sys.hello' || e.type === 'sys.error') this.events.emit(e.type, e.body as never);
      return;
    }
    if (this.held) this.held.push(e);
    else if (this._state.status === 'authenticated') this.emitEvent(e);
  }

  private emitEvent(e: EventPacket): void {
    // R-DEV-5: another device changed the user's one status: a later resume must restore it.
    if (e.type === 'presence.self' && this.creds)
      this.saveCredentials({ ...this.creds, status: e.body.status });
    this.events.emit(e.type, e.body as never);
  }

  /** R-DEV-4: this user's sessions on every node (devices, tabs), oldest first; `current` is this one. */
  async listSessions(): Promise<SessionInfo[]> {
    return (await this.request('session.list', {})).sessions;
  }

  /** R-DEV-4: ends another session of this user (NOT_FOUND for this one, unknown or foreign ones). */
  async endSession(sessionId: string): Promise<void> {
    await this.request('session.end', { sessionId });
  }

  private settleResult(requestId: number, payload: unknown): void {
    const pending = this.pending.get(requestId);
    if (!pending) return;
    const checked = requests[pending.name].result.safeParse(payload);
    if (!checked.success) {
      this.settle(
        requestId,
        undefined,
        new ImError(ClientErrorCode.BAD_RESPONSE, `bad ${pending.name} result`),
      );
    } else {
      // The status a later resume must restore follows every confirmed change.
      if (pending.name === 'presence.setStatus' && this.creds) {
        const { status } = pending.params as ParamsIn<'presence.setStatus'>;
        this.saveCredentials({ ...this.creds, status });
      }
      pending.onResult?.(checked.data);
      this.settle(requestId, checked.data);
    }
  }

  private settle(requestId: number, value: unknown, error?: ImError): void {
    const pending = this.pending.get(requestId);
    if (!pending) return;
    this.pending.delete(requestId);
    clearTimeout(pending.timer);
    if (error) pending.reject(error);
    else pending.resolve(value);
  }

  private onClose(code: number, reason: string): void {
    this.stopHeartbeat();
    this.socket = null;
    this.channel = null;
    for (const id of [...this.pending.keys()]) {
      this.settle(
        id,
        undefined,
        new ImError(ClientErrorCode.DISCONNECTED, `connection closed (${code} ${reason})`),
      );
    }
    const prev = this._state;
    const reconnect = this.options.reconnect?.enabled ?? true;
    if (ClosePolicy.noResume.has(code)) {
      if (this.creds) this.events.emit('sessionLost', { code, reason });
      this.creds = null;
    }
    if (this.redirectPending && this.creds && !this.closedByUser) {
      this.redirectPending = false;
      return this.scheduleReconnect(1, code);
    }
    if (!this.closedByUser && reconnect && this.creds) {
      if (prev.status === 'authenticated') return this.scheduleReconnect(1, code);
      if (prev.status === 'reconnecting') return this.scheduleReconnect(prev.attempt + 1, prev.lastCode);
    }
    this.setState({ status: 'closed', code, reason });
  }

  private setState(next: ClientState): void {
    this._state = next;
    if (next.status === 'reconnecting') this.chat.sessionStopped();
    if (next.status === 'closed') this.chat.sessionLost();
    this.events.emit('state', next);
  }
}

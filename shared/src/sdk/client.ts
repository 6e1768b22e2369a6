import { type Bytes, constantTimeEqual, randomBytes, randomNonce } from '../crypto/bytes';
import {
  authMessage,
  type ClientSecrets,
  clientProof,
  clientSecrets,
  deriveScramKeys,
  serverSignature,
} from '../crypto/scram';
import { deriveSessionKeys, generateEphemeral, sharedSecret } from '../crypto/session';
import type { WireRecord } from '../protocol/frame';
import {
  type EventBody,
  type EventName,
  type LoginMode,
  type OwnProfile,
  type ParamsIn,
  type RequestName,
  type Result,
  requests,
} from '../protocol/packets';
import { encodeRequest, parseServerRecord } from '../protocol/parse';
import { ChannelError, type CipherFactory, ClientChannel, subtleCipherFactory } from './channel';
import { Emitter } from './emitter';
import { ClientErrorCode, ImError } from './errors';
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
  | { status: 'closed'; code: number; reason: string };

export interface ClientOptions {
  url: string;
  socketFactory?: SocketFactory;
  requestTimeoutMs?: number;
  /** PBKDF2 iterations used when registering or changing the password. */
  scramIterations?: number;
  /** Send heartbeats at the interval the server announces (default true). */
  heartbeat?: boolean;
  cipherFactory?: CipherFactory;
}

export interface LoginOptions {
  mode?: LoginMode;
  sceneId?: string;
}

type EventMap = { [K in EventName]: EventBody<K> } & {
  state: ClientState;
  /** A frame or protocol problem the client detected (the connection is closed after it). */
  protocolError: ChannelError;
};

interface Pending {
  name: RequestName;
  resolve: (v: unknown) => void;
  reject: (e: ImError) => void;
  timer: ReturnType<typeof setTimeout>;
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
  private readonly factory: SocketFactory;
  private readonly cipherFactory: CipherFactory;

  constructor(readonly options: ClientOptions) {
    this.factory = options.socketFactory ?? browserSocketFactory;
    this.cipherFactory = options.cipherFactory ?? subtleCipherFactory;
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
    this.setState({ status: 'connecting' });
    const ws = this.factory(this.options.url);
    ws.binaryType = 'arraybuffer';
    this.socket = ws;
    this.channel = new ClientChannel(
      (frame) => {
        if (ws.readyState === OPEN) ws.send(frame);
      },
      (records) => this.onRecords(records),
      (err) => {
        this.events.emit('protocolError', err);
        ws.close(1002, err.message);
      },
    );
    return new Promise((resolve, reject) => {
      const offHello = this.events.on('sys.hello', (h) => {
        offHello();
        this.hello = h;
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
      this.pending.set(requestId, { name, resolve: resolve as (v: unknown) => void, reject, timer });
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

  /** SCRAM-SHA-256 with an X25519 exchange bound into the auth message; then everything is encrypted. */
  async login(username: string, password: string, opts: LoginOptions = {}): Promise<OwnProfile> {
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
    const secrets = await clientSecrets(password, ch.salt, ch.iterations);
    const am = authMessage({
      username,
      clientNonce,
      nonce: ch.nonce,
      salt: ch.salt,
      iterations: ch.iterations,
      clientPublicKey: eph.publicKey,
      serverPublicKey: ch.serverPublicKey,
    });
    const keys = await deriveSessionKeys(await sharedSecret(eph, ch.serverPublicKey), am);
    // The login result is the server's first encrypted frame, so the receive key goes in first.
    channel.setReceiveCipher(await this.cipherFactory(keys.s2c));
    const proof = await clientProof(secrets, am);
    const res = await this.request('auth.login', {
      nonce: ch.nonce,
      clientProof: proof,
      mode: opts.mode ?? 'normal',
      ...(opts.sceneId ? { sceneId: opts.sceneId } : {}),
    });
    const expected = await serverSignature(secrets.serverKey, am);
    if (!constantTimeEqual(expected, res.serverSignature)) {
      this.close(1000, 'server signature mismatch');
      throw new ImError(ClientErrorCode.SERVER_AUTH_FAILED, 'the server could not prove it knows our keys');
    }
    channel.setSendCipher(await this.cipherFactory(keys.c2s));
    const s = this._state;
    if (s.status !== 'open') throw new ImError(ClientErrorCode.DISCONNECTED, 'connection lost during login');
    this.setState({
      status: 'authenticated',
      socketId: s.socketId,
      nodeId: s.nodeId,
      sessionId: res.sessionId,
      userId: res.profile.userId,
      username: res.profile.username,
      mode: opts.mode ?? 'normal',
    });
    this.startHeartbeat();
    return res.profile;
  }

  async logout(): Promise<void> {
    await this.request('auth.logout', {});
    this.close(1000, 'logout');
  }

  /** Proves the current password with a fresh SCRAM exchange (change password, delete account). */
  async reauth(password: string): Promise<{ nonce: string; clientProof: Bytes; secrets: ClientSecrets }> {
    const s = this._state;
    if (s.status !== 'authenticated') throw new ImError('NOT_LOGGED_IN', 'log in first');
    const clientNonce = randomNonce();
    const ch = await this.request('account.reauthChallenge', { clientNonce });
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

  close(code = 1000, reason = ''): void {
    this.socket?.close(code, reason);
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

  private onRecords(records: WireRecord[]): void {
    for (const record of records) {
      const parsed = parseServerRecord(record);
      if (!parsed.ok) {
        this.events.emit('protocolError', new ChannelError('frame', parsed.error.message));
        continue;
      }
      const p = parsed.value;
      if (p.kind === 'event') {
        this.events.emit(p.event.type, p.event.body as never);
      } else if (p.kind === 'error') {
        this.settle(p.requestId, undefined, ImError.from(p.error));
      } else {
        this.settleResult(p.requestId, p.payload);
      }
    }
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
    this.setState({ status: 'closed', code, reason });
  }

  private setState(next: ClientState): void {
    this._state = next;
    this.events.emit('state', next);
  }
}

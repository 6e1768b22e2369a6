import {
  decodeRecords,
  encodeRecords,
  encodeRequest,
  PROTOCOL_VERSION,
  parseServerRecord,
  type RequestName,
  readHeader,
  type ServerPacket,
  type WireRecord,
  writeHeader,
} from '@imw/shared';
import { type CipherFactory, ImClient, type SocketFactory, subtleCipherFactory } from '@imw/shared/sdk';
import { nodeSocketFactory } from '@imw/shared/sdk/node';
import type WebSocket from 'ws';
import { NodeGcm } from '../../src/net';
import { TEST_ITERATIONS, uniqueName } from './server';
import { Wakeup } from './wait';

/** A socket factory that remembers the `ws` sockets it made (to pause reading, or to send raw bytes). */
export function capturingSocketFactory(): { factory: SocketFactory; sockets: WebSocket[] } {
  const sockets: WebSocket[] = [];
  const factory: SocketFactory = (url) => {
    const ws = nodeSocketFactory(url);
    sockets.push(ws as unknown as WebSocket);
    return ws;
  };
  return { factory, sockets };
}

/** Stops (or resumes) reading from a `ws` socket: the kernel buffers fill, then the server's do. */
export function pauseReading(ws: WebSocket, paused = true): void {
  const tcp = (ws as unknown as { _socket?: { pause(): void; resume(): void } })._socket;
  if (!tcp) throw new Error('the ws socket has no TCP socket yet');
  if (paused) tcp.pause();
  else tcp.resume();
}

/** What `ws` hands a 'message' listener, as bytes (the SDK sets binaryType to arraybuffer). */
export function rawBytes(data: WebSocket.RawData): Uint8Array {
  if (data instanceof ArrayBuffer) return new Uint8Array(data);
  if (Array.isArray(data)) return Buffer.concat(data);
  return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
}

/** Request ids below this are the session's own (sentinels); fuzzed records use others. */
export const OWN_REQUEST_IDS_BELOW = 1_000_000;

/**
 * A logged-in connection driven by hand: the SDK does the SCRAM login and key exchange, then this
 * takes over the socket with the session keys, so a test can encrypt ANY plaintext (or any bytes)
 * with the right counter, and read every record the server sends back.
 */
export class SecureSession {
  readonly packets: ServerPacket[] = [];
  closeCode: number | null = null;
  /** Frames received that could not be decrypted or decoded (never expected from the server). */
  badFrames = 0;
  private txCounter = 0;
  private nextId = 1;
  private readonly wakeup = new Wakeup();
  private readonly socketSend: WebSocket['send'];
  /** Frames the SDK tried to send after the login (dropped: the counters are this session's). */
  sdkSendsDropped = 0;
  private readonly tx: NodeGcm;
  private readonly rx: NodeGcm;

  private constructor(
    readonly ws: WebSocket,
    keys: { c2s: Uint8Array; s2c: Uint8Array },
    readonly userId: number,
    readonly username: string,
    readonly password: string,
    /** The SDK client that logged in; it must not send anything any more (the counter is ours). */
    readonly client: ImClient,
  ) {
    this.tx = new NodeGcm(Buffer.from(keys.c2s));
    this.rx = new NodeGcm(Buffer.from(keys.s2c));
    // The SDK still hears pushes and may answer them (a pushed group message past its cursor
    // makes it fetch the gap with chat.history): such a frame would take a counter that is this
    // session's, so from here on the SDK's sends are dropped and counted. Found by R-HARD-6 once a
    // group join pushed a join line (R-GRP-32).
    this.socketSend = ws.send.bind(ws);
    ws.send = (() => {
      this.sdkSendsDropped++;
    }) as typeof ws.send;
    ws.on('message', (data, isBinary) => {
      if (isBinary) this.receive(rawBytes(data));
      this.wakeup.wake();
    });
    ws.on('close', (code: number) => {
      this.closeCode = code;
      this.wakeup.wake();
    });
  }

  /** Registers a fresh user (unless credentials are given) and logs in. */
  static async open(
    wsUrl: string,
    creds?: { username: string; password: string },
    prefix = 'sec',
  ): Promise<SecureSession> {
    const { factory, sockets } = capturingSocketFactory();
    const keys: Uint8Array[] = [];
    const cipherFactory: CipherFactory = (key) => {
      keys.push(key.slice());
      return subtleCipherFactory(key);
    };
    const client = new ImClient({
      url: wsUrl,
      socketFactory: factory,
      cipherFactory,
      scramIterations: TEST_ITERATIONS,
      heartbeat: false,
      reconnect: { enabled: false },
      requestTimeoutMs: 10_000,
      // This session sends raw frames with its own counters after the login: no SDK traffic.
      chat: { autoSync: false },
    });
    await client.connect();
    const username = creds?.username ?? uniqueName(prefix);
    const password = creds?.password ?? `pw-${username}`;
    if (!creds) await client.register(username, password);
    const profile = await client.login(username, password);
    // login() installs the receive key first (the login result is the first encrypted frame).
    const [s2c, c2s] = keys;
    const ws = sockets[0];
    if (!s2c || !c2s || !ws) throw new Error('login did not expose the session keys');
    return new SecureSession(ws, { c2s, s2c }, profile.userId, username, password, client);
  }

  get open(): boolean {
    return this.closeCode === null;
  }

  /** Seals a plaintext (normally encoded records) with the next counter; does not send it. */
  seal(plaintext: Uint8Array): Uint8Array {
    const counter = this.txCounter++;
    const header = writeHeader(PROTOCOL_VERSION, true, counter);
    return Buffer.concat([header, this.tx.seal(counter, header, plaintext)]);
  }

  /** The counter the server expects next (the one the next `seal` uses). */
  get nextCounter(): number {
    return this.txCounter;
  }

  /** Takes back the last counter, after a sealed frame the server did not accept as one. */
  rewind(): void {
    this.txCounter--;
  }

  /** Opens a frame sealed with this session's send key (to replay what the server will see). */
  openSent(counter: number, aad: Uint8Array, sealed: Uint8Array): Uint8Array | null {
    return this.tx.open(counter, aad, sealed);
  }

  sendPlaintext(plaintext: Uint8Array): void {
    this.sendRaw(this.seal(plaintext));
  }

  sendRecords(records: readonly WireRecord[]): void {
    this.sendPlaintext(encodeRecords(records));
  }

  sendRaw(frame: Uint8Array): void {
    if (this.ws.readyState === this.ws.OPEN) this.socketSend(frame);
  }

  /** Sends one request with an id of its own; resolves with the answer (result or error). */
  request(name: RequestName, params: unknown): Promise<ServerPacket> {
    const id = this.nextId++;
    if (id >= OWN_REQUEST_IDS_BELOW) throw new Error('request ids exhausted');
    this.sendRecords([encodeRequest(name, id, params)]);
    return this.response(id);
  }

  /** Sends a request without waiting; returns its id. */
  post(name: RequestName, params: unknown): number {
    const id = this.nextId++;
    this.sendRecords([encodeRequest(name, id, params)]);
    return id;
  }

  until(cond: () => boolean, timeoutMs = 5000): Promise<void> {
    return this.wakeup.until(cond, timeoutMs);
  }

  findResponse(requestId: number): ServerPacket | undefined {
    return this.packets.find((p) => p.kind !== 'event' && p.requestId === requestId);
  }

  async response(requestId: number, timeoutMs = 5000): Promise<ServerPacket> {
    await this.until(() => this.findResponse(requestId) !== undefined || !this.open, timeoutMs);
    const r = this.findResponse(requestId);
    if (!r) throw new Error(`connection closed (${this.closeCode}) before the answer to ${requestId}`);
    return r;
  }

  async closed(timeoutMs = 5000): Promise<number> {
    await this.until(() => !this.open, timeoutMs);
    return this.closeCode!;
  }

  close(): void {
    this.ws.close();
  }

  private receive(frame: Uint8Array): void {
    try {
      const h = readHeader(frame);
      const plain = h.encrypted ? this.rx.open(h.counter, h.header, h.body) : h.body;
      if (!plain) {
        this.badFrames++;
        return;
      }
      for (const r of decodeRecords(plain)) {
        const p = parseServerRecord(r);
        if (p.ok) this.packets.push(p.value);
        else this.badFrames++;
      }
    } catch {
      this.badFrames++;
    }
  }
}

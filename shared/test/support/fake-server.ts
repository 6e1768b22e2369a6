import { type AddressInfo, WebSocketServer } from 'ws';
import {
  authMessage,
  type Bytes,
  concat,
  decodeRecords,
  deriveScramKeys,
  deriveSessionKeys,
  type EventName,
  type EventWire,
  encodeEvent,
  encodePlainFrame,
  encodeRecords,
  encodeResult,
  generateEphemeral,
  PROTOCOL_VERSION,
  parseRequest,
  type RequestPacket,
  randomBytes,
  randomNonce,
  readHeader,
  SubtleGcm,
  serverSignature,
  sharedSecret,
  type WireRecord,
  writeHeader,
} from '../../src';

/** An event the fake server puts on the wire, typed like the real ones. */
export type FakeEvent = { [K in EventName]: { name: K; body: EventWire<K> } }[EventName];
const rec = (e: FakeEvent): WireRecord => encodeEvent(e.name, e.body as never);

export interface FakeServerOptions {
  /** What its challenge answer carries (default: a 16-byte salt, 4096 iterations). */
  salt?: Uint8Array;
  iterations?: number;
  /** What `account.reauthChallenge` answers with (default: the login's). */
  reauthSalt?: Uint8Array;
  reauthIterations?: number;
  /**
   * With the user's password the server is honest: its login result carries the right signature.
   * Without, it is a man in the middle that swapped in its own key: it can encrypt (the session
   * keys come from its X25519 secret and the public auth message) but not sign.
   */
  password?: string;
  /** `nodes` of its sys.hello. */
  helloNodes?: string[];
  /** Plaintext events sent right after the hello, before any login. */
  preLogin?: FakeEvent[];
  /** Events in the first encrypted frame, ahead of the login result. */
  beforeResult?: FakeEvent[];
  /** Events in the first encrypted frame, after the login result. */
  afterResult?: FakeEvent[];
}

export interface FakeServer {
  url: string;
  /** Every request received, in order, as parsed (plaintext or decrypted). */
  received: RequestPacket[];
  /** Sends events in one encrypted frame on the (one) logged-in connection. */
  sendEvents(events: FakeEvent[]): Promise<void>;
  close(): Promise<void>;
}

/**
 * A tiny server that speaks the wire protocol from the server's side, on a real socket (port 0),
 * to probe what the stock SDK does with answers the real server never gives (R-SEC-1..4).
 */
export async function startFakeServer(opts: FakeServerOptions = {}): Promise<FakeServer> {
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  await new Promise<void>((resolve) => wss.once('listening', () => resolve()));
  const received: RequestPacket[] = [];
  let sendSecure: ((records: WireRecord[]) => Promise<void>) | null = null;

  wss.on('connection', (ws) => {
    const plain = (records: WireRecord[]) => ws.send(encodePlainFrame(PROTOCOL_VERSION, records));
    plain([
      encodeEvent('sys.hello', {
        protocolVersion: PROTOCOL_VERSION,
        nodeId: 'fake',
        socketId: 'fake.1',
        heartbeatIntervalMs: 60_000,
        maxPayloadBytes: 65_536,
        nodes: opts.helloNodes ?? [],
        limits: { chatMaxTextChars: 2000, chatPerSec: 10, chatBurst: 30, preLoginDeadlineMs: 30_000 },
      }),
      ...(opts.preLogin ?? []).map(rec),
    ]);
    let challenge: {
      username: string;
      clientNonce: string;
      nonce: string;
      clientPublicKey: Uint8Array;
      eph: Awaited<ReturnType<typeof generateEphemeral>>;
    } | null = null;
    let rx: SubtleGcm | null = null;
    let tx: SubtleGcm | null = null;
    let txCounter = 0;
    let txChain = Promise.resolve();
    const salt = (opts.salt ?? randomBytes(16)) as Bytes;
    const iterations = opts.iterations ?? 4096;
    // Sealing is asynchronous: chain it so frames leave in counter order.
    const secure = (records: WireRecord[]): Promise<void> => {
      const cipher = tx;
      if (!cipher) return Promise.reject(new Error('not secured'));
      const counter = txCounter++;
      const header = writeHeader(PROTOCOL_VERSION, true, counter);
      txChain = txChain.then(async () => {
        ws.send(concat(header, await cipher.seal(counter, header, encodeRecords(records))));
      });
      return txChain;
    };
    // Frames are handled one after another, like the real gateway.
    let chain = Promise.resolve();
    ws.on('message', (data: Buffer) => {
      const frame = new Uint8Array(data);
      chain = chain.then(async () => {
        const h = readHeader(frame);
        const body = h.encrypted && rx ? await rx.open(h.counter, h.header, h.body) : h.body;
        for (const r of decodeRecords(body)) {
          const p = parseRequest(r);
          if (!p.ok) continue;
          received.push(p.value);
          await handle(p.value);
        }
      });
    });

    async function handle(p: RequestPacket): Promise<void> {
      if (p.type === 'auth.challenge') {
        const eph = await generateEphemeral();
        const nonce = p.params.clientNonce + randomNonce();
        challenge = { ...p.params, nonce, eph };
        plain([encodeResult(p.requestId, { nonce, salt, iterations, serverPublicKey: eph.publicKey })]);
      } else if (p.type === 'auth.login' && challenge) {
        const am = authMessage({
          username: challenge.username,
          clientNonce: challenge.clientNonce,
          nonce: challenge.nonce,
          salt,
          iterations,
          clientPublicKey: challenge.clientPublicKey,
          serverPublicKey: challenge.eph.publicKey,
          status: p.params.status,
          mode: p.params.mode,
          sceneId: p.params.sceneId,
        });
        const keys = await deriveSessionKeys(
          await sharedSecret(challenge.eph, challenge.clientPublicKey),
          am,
        );
        rx = await SubtleGcm.create(keys.c2s);
        tx = await SubtleGcm.create(keys.s2c);
        const signature = opts.password
          ? await serverSignature((await deriveScramKeys(opts.password, salt, iterations)).serverKey, am)
          : randomBytes(32);
        const result = encodeResult(p.requestId, {
          serverSignature: signature,
          sessionId: 'fake-session',
          resumeToken: 'fake-ticket-0123456789',
          profile: {
            userId: 7,
            username: challenge.username,
            displayName: challenge.username,
            avatar: '',
            bio: '',
            createdAtMs: 0,
          },
          status: p.params.status ?? 'online',
        });
        await secure([...(opts.beforeResult ?? []).map(rec), result, ...(opts.afterResult ?? []).map(rec)]);
        sendSecure = secure;
      } else if (p.type === 'account.reauthChallenge') {
        await secure([
          encodeResult(p.requestId, {
            nonce: p.params.clientNonce + randomNonce(),
            salt: opts.reauthSalt ?? salt,
            iterations: opts.reauthIterations ?? iterations,
          }),
        ]);
      } else if (p.type === 'sys.heartbeat') {
        await secure([encodeResult(p.requestId, { serverTimeMs: Date.now() })]);
      } else if (tx) {
        await secure([encodeResult(p.requestId, {})]);
      }
    }
  });

  const { port } = wss.address() as AddressInfo;
  return {
    url: `ws://127.0.0.1:${port}/ws`,
    received,
    sendEvents: async (events) => {
      if (!sendSecure) throw new Error('nobody is logged in');
      await sendSecure(events.map(rec));
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const c of wss.clients) c.terminate();
        wss.close(() => resolve());
      }),
  };
}

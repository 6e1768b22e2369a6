import { randomBytes } from 'node:crypto';
import { type ClientState, ImClient, type SocketFactory, type SocketLike } from '@imw/shared/sdk';
import { nodeSocketFactory } from '@imw/shared/sdk/node';
import pino from 'pino';
import { type Clock, type Config, type ImServer, makeConfig, startServer } from '../../src';
import type { Database } from '../../src/db';

export const TEST_ITERATIONS = 4096;
/** R-SEC-20: /metrics and /cluster/nodes need a bearer token; test servers all use this one. */
export const TEST_METRICS_TOKEN = 'test-metrics-token-0123456789abcdef';

/**
 * One ticket key for every test server (in-process and spawned): nodes of a test cluster and a
 * restarted server open each other's tickets, as a real cluster sharing TICKET_KEYS does.
 */
export const TEST_TICKET_KEYS = `t1:${Buffer.alloc(32, 7).toString('base64')}`;

/** A server on port 0 with a quiet logger and test-friendly limits. */
export async function startTestServer(
  database: Database,
  overrides: Partial<Config> = {},
  clock?: Clock,
): Promise<ImServer> {
  return startServer({
    config: makeConfig({
      HOST: '127.0.0.1',
      PORT: 0,
      SCRAM_DEFAULT_ITERATIONS: TEST_ITERATIONS,
      METRICS_TOKEN: TEST_METRICS_TOKEN,
      // Every test client comes from 127.0.0.1; R-LIM-14's own test turns the budget on.
      PRE_LOGIN_REQUESTS_PER_ADDRESS_PER_SEC: 0,
      TICKET_KEYS: TEST_TICKET_KEYS,
      ...overrides,
    }),
    database,
    logger: pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' }),
    ...(clock ? { clock } : {}),
  });
}

/** Lets a test see and alter the frames an SDK client sends (tamper and replay tests). */
export interface FrameTap {
  sent: Uint8Array[];
  /** Applied once to the next frame sent, then cleared. */
  mutateNext: ((frame: Uint8Array) => Uint8Array) | null;
  /** Sends bytes on the same socket, bypassing the SDK. */
  sendRaw(frame: Uint8Array): void;
  /** Drops the TCP connection without a close handshake (a network failure, as the server sees it). */
  terminate(): void;
}

export function tappedSocketFactory(tap: Partial<FrameTap> = {}): { factory: SocketFactory; tap: FrameTap } {
  let socket: SocketLike | null = null;
  const full: FrameTap = {
    sent: [],
    mutateNext: null,
    sendRaw: (f) => socket?.send(f),
    terminate: () => undefined,
    ...tap,
  };
  const factory: SocketFactory = (url) => {
    const ws = nodeSocketFactory(url);
    const send = ws.send.bind(ws);
    socket = { ...ws, send } as SocketLike;
    ws.send = (frame: Uint8Array) => {
      let f = frame;
      if (full.mutateNext) {
        f = full.mutateNext(frame);
        full.mutateNext = null;
      }
      full.sent.push(f);
      send(f);
    };
    full.sendRaw = (f) => send(f);
    full.terminate = () => (ws as unknown as { terminate(): void }).terminate();
    return ws;
  };
  return { factory, tap: full };
}

export interface ClientOpts {
  heartbeat?: boolean;
  socketFactory?: SocketFactory;
  /** Off by default in tests, so a closed server does not leave clients retrying. */
  reconnect?: boolean;
  /**
   * The SDK's chat.sync + history catch-up at login and resume (R-SDK-1). Off by default in
   * tests: its requests would spend the rate-limit tokens and event-loop turns other tests count.
   */
  chatSync?: boolean;
  /** The SDK's own delivered receipts (R-RCP-1). Off by default in tests, like chatSync. */
  autoDelivered?: boolean;
}

export function newClient(server: ImServer, opts: ClientOpts = {}): ImClient {
  return new ImClient({
    url: server.wsUrl,
    reconnect: { enabled: opts.reconnect ?? false, baseDelayMs: 20, maxDelayMs: 200 },
    socketFactory: opts.socketFactory ?? nodeSocketFactory,
    scramIterations: TEST_ITERATIONS,
    heartbeat: opts.heartbeat ?? false,
    requestTimeoutMs: 5000,
    chat: { autoSync: opts.chatSync ?? false },
    receipts: { autoDelivered: opts.autoDelivered ?? false, deliveredDelayMs: 0 },
  });
}

let seq = 0;
/** Unique, valid usernames so test files can share a database. */
export const uniqueName = (prefix = 'u'): string =>
  `${prefix}${(seq++).toString(36)}${randomBytes(3).toString('hex')}`.slice(0, 32);

/** Registers and logs in a fresh user; returns the connected client and its credentials. */
export async function loggedInUser(server: ImServer, prefix = 'u', opts: ClientOpts = {}) {
  const username = uniqueName(prefix);
  const password = `pw-${username}`;
  const client = newClient(server, opts);
  await client.connect();
  await client.register(username, password);
  const profile = await client.login(username, password);
  return { client, username, password, profile };
}

/** Resolves with the next value an emitter gives, or rejects after `timeoutMs`. */
export function nextEvent<T>(
  subscribe: (fn: (v: T) => void) => () => void,
  predicate: (v: T) => boolean = () => true,
  timeoutMs = 3000,
): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      off();
      reject(new Error(`no matching event within ${timeoutMs} ms`));
    }, timeoutMs);
    const off = subscribe((v) => {
      if (!predicate(v)) return;
      clearTimeout(timer);
      off();
      resolve(v);
    });
  });
}

/** Waits for the client's connection to close; resolves with the close code. */
export function closed(client: ImClient, timeoutMs = 3000): Promise<number> {
  if (client.state.status === 'closed') return Promise.resolve(client.state.code);
  return nextEvent<ClientState>(
    (fn) => client.on('state', fn),
    (s) => s.status === 'closed',
    timeoutMs,
  ).then((s) => (s.status === 'closed' ? s.code : -1));
}

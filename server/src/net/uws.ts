import uWS from 'uWebSockets.js';
import { readFileSync } from 'node:fs';
import { CloseCode } from '@imw/shared';
import type { Logger } from '../core';
import { type HttpRequest, type HttpResponse, type HttpRoute, MAX_HTTP_BODY_BYTES } from '../core';
import { ClientAddresses, limitKey } from './address';
import type { Connection, SocketPort } from './connection';
import type { Gateway } from './gateway';
import { securityHeaders } from './security-headers';

/**
 * The uWebSockets.js adapter: the only file that imports uWS. It copies what it needs out of
 * uWS objects synchronously (they are invalid after the callback) and hands plain values on.
 */
export interface UwsServerOptions {
  host: string;
  port: number;
  maxPayloadBytes: number;
  maxBackpressureBytes: number;
  maxConnectionsPerAddress: number;
  /** TRUSTED_PROXIES: peers whose X-Forwarded-For names the client (R-SEC-13). */
  trustedProxies?: string | undefined;
  tls?: { certFile: string; keyFile: string } | undefined;
}

interface SocketData {
  ip: string;
  conn?: Connection;
}

const STATUS_TEXT: Record<number, string> = {
  200: '200 OK',
  204: '204 No Content',
  400: '400 Bad Request',
  401: '401 Unauthorized',
  403: '403 Forbidden',
  404: '404 Not Found',
  405: '405 Method Not Allowed',
  413: '413 Payload Too Large',
  429: '429 Too Many Requests',
  500: '500 Internal Server Error',
  503: '503 Service Unavailable',
};

/**
 * Whether uWS's native addon loaded. When the package finds no binary for this Node (it ships
 * ABI 93/108/115: Node 16, 18 and 20, on glibc), it silently loads a `ws`-based JS shim that
 * throws on custom upgrades, `HttpRequest.forEach` and `getRemoteAddressAsText`, so the first
 * request would kill the process (security review H1). Only the native addon has `SSLApp`
 * (the shim also exports `us_socket_local_port`, so that is no tell).
 */
export function uwsIsNative(mod: object = uWS): boolean {
  return typeof (mod as { SSLApp?: unknown }).SSLApp === 'function';
}

/** Which uWS loaded, for the start-up log line. */
export function uwsImplementation(): string {
  return uwsIsNative() ? `native (ABI ${process.versions.modules})` : 'FALLBACK (ws shim)';
}

/** Node versions the pinned uWS ships binaries for (keep in step with `engines`). */
export const UWS_SUPPORTED_NODE = 'Node 20 (>= 20.19) on Linux, macOS or Windows, glibc';

/** Refuses to serve on the JS shim: a clear start-up error beats a crash on the first request. */
export function assertNativeUws(mod: object = uWS): void {
  if (uwsIsNative(mod)) return;
  throw new Error(
    `uWebSockets.js has no native binary for Node ${process.version} (ABI ${process.versions.modules}, ` +
      `${process.platform}-${process.arch}) and fell back to a JS shim that cannot serve this app. ` +
      `Run it on ${UWS_SUPPORTED_NODE}.`,
  );
}

/**
 * The gateway's view of one uWS socket. A class rather than closures: its methods live once on the
 * prototype, so an idle connection holds one small object here instead of five closures and their
 * context (memory per idle session, #18).
 */
class UwsPort implements SocketPort {
  private open = true;

  constructor(
    private readonly ws: uWS.WebSocket<SocketData>,
    /** Read once now: after uWS's close callback even getUserData() throws. */
    private readonly data: SocketData,
  ) {}

  /** After uWS's close callback the ws object must not be touched again. */
  private isOpen(): boolean {
    return this.open && !this.data.conn?.transportClosed;
  }

  // uWS reports 0 (buffered) or 2 (dropped); the gateway watches the buffered amount itself.
  send(frame: Uint8Array): void {
    if (this.isOpen()) this.ws.send(frame, true);
  }

  close(code: number, reason: string): void {
    if (!this.isOpen()) return;
    this.open = false;
    this.ws.end(code, reason);
  }

  bufferedAmount(): number {
    return this.isOpen() ? this.ws.getBufferedAmount() : 0;
  }

  cork(fn: () => void): void {
    if (this.isOpen()) this.ws.cork(fn);
    else fn();
  }
}

export class UwsServer {
  private listenSocket: uWS.us_listen_socket | null = null;
  private readonly perAddress = new Map<string, number>();
  private readonly sockets = new Set<uWS.WebSocket<SocketData>>();
  private readonly addresses: ClientAddresses;
  private readonly headers: [string, string][];
  port = 0;

  constructor(
    private readonly opts: UwsServerOptions,
    private readonly gateway: Gateway,
    private readonly routes: HttpRoute[],
    private readonly log: Logger,
  ) {
    this.addresses = new ClientAddresses(opts.trustedProxies);
    this.headers = Object.entries(securityHeaders(Boolean(opts.tls)));
  }

  private writeSecurityHeaders(res: uWS.HttpResponse): void {
    for (const [k, v] of this.headers) res.writeHeader(k, v);
  }

  /** The per-address limit key of a request: the client behind trusted proxies, IPv6 by /64. */
  private clientKey(peer: ArrayBuffer, forwardedFor: string): string {
    return limitKey(this.addresses.resolve(Buffer.from(peer).toString(), forwardedFor || undefined));
  }

  listen(): Promise<number> {
    assertNativeUws();
    const app = this.opts.tls
      ? uWS.SSLApp({ cert_file_name: this.opts.tls.certFile, key_file_name: this.opts.tls.keyFile })
      : uWS.App();
    if (this.opts.tls) readFileSync(this.opts.tls.certFile); // fail loudly on a missing file
    app.ws<SocketData>('/ws', {
      // uWS itself drops frames over this; we set it above our own limit so that a frame a bit
      // over MAX_PAYLOAD_BYTES gets our documented FRAME_TOO_LARGE close instead (R-LIM-1).
      maxPayloadLength: this.opts.maxPayloadBytes * 4,
      // 0: uWS never drops a send. The gateway closes a slow reader (SLOW_READER) as soon as its
      // buffer passes maxBackpressureBytes, so the buffer stays bounded by that plus one frame; a
      // uWS cap would instead drop the close frame itself whenever one coalesced frame jumps past
      // it, and the client would see 1006 rather than 4013 (R-LIM-10).
      maxBackpressure: 0,
      closeOnBackpressureLimit: 0,
      idleTimeout: 120, // transport-level safety net; the application heartbeat is the real check
      sendPingsAutomatically: true,
      compression: uWS.DISABLED,
      upgrade: (res, req, context) => {
        const ip = this.clientKey(res.getRemoteAddressAsText(), req.getHeader('x-forwarded-for'));
        res.upgrade<SocketData>(
          { ip },
          req.getHeader('sec-websocket-key'),
          req.getHeader('sec-websocket-protocol'),
          req.getHeader('sec-websocket-extensions'),
          context,
        );
      },
      open: (ws) => {
        const data = ws.getUserData();
        this.sockets.add(ws);
        const n = (this.perAddress.get(data.ip) ?? 0) + 1;
        this.perAddress.set(data.ip, n);
        const port = this.port_(ws);
        data.conn = this.gateway.open(port, data.ip);
        if (n > this.opts.maxConnectionsPerAddress)
          this.gateway.close(data.conn, CloseCode.TOO_MANY_CONNECTIONS);
      },
      message: (ws, message, isBinary) => {
        const conn = ws.getUserData().conn;
        if (!conn) return;
        try {
          this.gateway.message(conn, message, isBinary);
        } catch (err) {
          // The gateway never throws by design; if it does, the process must survive.
          this.log.error({ err }, 'uncaught error in message handler');
        }
      },
      close: (ws, code) => {
        const data = ws.getUserData();
        this.sockets.delete(ws);
        const n = (this.perAddress.get(data.ip) ?? 1) - 1;
        if (n <= 0) this.perAddress.delete(data.ip);
        else this.perAddress.set(data.ip, n);
        if (data.conn) {
          data.conn.transportClosed = true;
          this.gateway.closed(data.conn, code);
        }
      },
    });
    for (const route of this.routes) this.mountRoute(app, route);
    app.any('/*', (res) => {
      res.cork(() => {
        res.writeStatus('404 Not Found');
        this.writeSecurityHeaders(res);
        res.end('not found');
      });
    });
    return new Promise((resolve, reject) => {
      app.listen(this.opts.host, this.opts.port, (token) => {
        if (!token) return reject(new Error(`cannot listen on ${this.opts.host}:${this.opts.port}`));
        this.listenSocket = token;
        this.port = uWS.us_socket_local_port(token as unknown as uWS.us_socket);
        resolve(this.port);
      });
    });
  }

  /** Stops accepting; existing sockets are closed by the caller through the gateway. */
  stopListening(): void {
    if (this.listenSocket) uWS.us_listen_socket_close(this.listenSocket);
    this.listenSocket = null;
  }

  /** Force-closes whatever is still open (last step of shutdown). */
  terminateAll(): void {
    for (const ws of [...this.sockets]) ws.close();
  }

  get openSockets(): number {
    return this.sockets.size;
  }

  private port_(ws: uWS.WebSocket<SocketData>): SocketPort {
    return new UwsPort(ws, ws.getUserData());
  }

  private mountRoute(app: uWS.TemplatedApp, route: HttpRoute): void {
    const method = route.method === 'GET' ? 'get' : route.method === 'POST' ? 'post' : 'any';
    app[method](route.path, (res, req) => {
      let aborted = false;
      res.onAborted(() => {
        aborted = true;
      });
      const headers: Record<string, string> = {};
      req.forEach((k, v) => {
        headers[k] = v;
      });
      const request: Omit<HttpRequest, 'body'> = {
        method: req.getCaseSensitiveMethod?.() ?? req.getMethod().toUpperCase(),
        path: req.getUrl(),
        query: req.getQuery() ?? '',
        headers,
        ip: this.clientKey(res.getRemoteAddressAsText(), headers['x-forwarded-for'] ?? ''),
      };
      const chunks: Buffer[] = [];
      let size = 0;
      const maxBodyBytes = route.maxBodyBytes ?? MAX_HTTP_BODY_BYTES;
      res.onData((chunk, isLast) => {
        if (aborted) return;
        size += chunk.byteLength;
        if (size > maxBodyBytes) {
          aborted = true;
          res.cork(() => {
            res.writeStatus('413 Payload Too Large');
            this.writeSecurityHeaders(res);
            res.end('body too large', true);
          });
          return;
        }
        chunks.push(Buffer.from(chunk.slice(0)));
        if (!isLast) return;
        Promise.resolve()
          .then(() => route.handle({ ...request, body: Buffer.concat(chunks) }))
          .catch((err: unknown) => {
            this.log.error({ err, path: request.path }, 'http route failed');
            return { status: 500, body: 'internal error' } satisfies HttpResponse as HttpResponse;
          })
          .then((out) => {
            if (aborted) return;
            res.cork(() => {
              res.writeStatus(STATUS_TEXT[out.status] ?? `${out.status} Status`);
              this.writeSecurityHeaders(res);
              for (const [k, v] of Object.entries(out.headers ?? {})) res.writeHeader(k, v);
              res.end(out.body ?? '');
            });
          });
      });
    });
  }
}

import type { SocketLike } from '@imw/shared/sdk';
import { nodeSocketFactory } from '@imw/shared/sdk/node';
import { io, type Socket } from 'socket.io-client';
import { pool } from './imw-client';
import { MessageLoad } from './message-load';

/**
 * Baseline clients: the same fan-out load shape (groups of M, each member sending R msg/s) on a
 * bare relay: no login, no encryption. A message is f64 send time | u32 epoch | u32 group | padding.
 */
export interface RelaySetup {
  url: string;
  clients: number;
  groupSize: number;
  size: number;
  /** Group ids start here, so workers do not share groups. */
  firstGroup: number;
}

function encode(epoch: number, sentMs: number, group: number, size: number): Buffer {
  const b = Buffer.alloc(Math.max(16, size), 0x78);
  b.writeDoubleLE(sentMs, 0);
  b.writeUInt32LE(epoch, 8);
  b.writeUInt32LE(group, 12);
  return b;
}

const asBuffer = (d: unknown): Buffer | null =>
  Buffer.isBuffer(d) ? d : d instanceof ArrayBuffer ? Buffer.from(d) : null;

abstract class RelayLoad extends MessageLoad {
  protected groupOf: number[] = [];
  protected groupSize = 0;
  protected size = 64;
  protected closing = false;

  protected layout(a: RelaySetup): number {
    const n = a.clients - (a.clients % a.groupSize);
    this.groupSize = a.groupSize;
    this.size = a.size;
    this.groupOf = Array.from({ length: n }, (_, k) => a.firstGroup + Math.floor(k / a.groupSize));
    return n;
  }

  protected onData(data: unknown): void {
    const b = asBuffer(data);
    if (b && b.byteLength >= 16) this.delivered(b.readUInt32LE(8), b.readDoubleLE(0));
  }

  protected lost(): void {
    if (this.closing) return;
    this.counters.disconnects++;
    this.error('close');
  }

  /** No acks on a bare relay: every message handed to the socket is owed to M-1 members. */
  protected sent(): void {
    this.counters.expected += this.groupSize - 1;
  }
}

/** Client of bench/src/baselines/uws-relay.ts over `ws`: the first message joins a group. */
export class UwsRelayLoad extends RelayLoad {
  private sockets: SocketLike[] = [];

  protected get actorCount(): number {
    return this.sockets.length;
  }

  async setup(args: unknown): Promise<unknown> {
    const a = args as RelaySetup;
    const n = this.layout(a);
    this.sockets = await pool(
      Array.from({ length: n }, (_, k) => k),
      32,
      (k) =>
        new Promise<SocketLike>((resolve, reject) => {
          const ws = nodeSocketFactory(a.url);
          ws.onerror = () => reject(new Error('uws relay connection failed'));
          ws.onopen = () => {
            const join = Buffer.alloc(4);
            join.writeUInt32LE(this.groupOf[k]!, 0);
            ws.send(join);
          };
          // The relay answers the join with one byte; everything after it is traffic.
          ws.onmessage = () => {
            ws.onmessage = (ev) => this.onData(ev.data);
            resolve(ws);
          };
          ws.onclose = () => this.lost();
        }),
    );
    return { clients: n };
  }

  protected sendOne(i: number, epoch: number, sentMs: number): void {
    const ws = this.sockets[i]!;
    if (ws.readyState !== 1) return this.error('not open');
    ws.send(encode(epoch, sentMs, this.groupOf[i]!, this.size));
    this.sent();
  }

  async teardown(): Promise<void> {
    this.stop();
    this.closing = true;
    for (const ws of this.sockets) ws.close(1000);
    this.sockets = [];
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** Client of bench/src/baselines/socketio-relay.ts: websocket transport only, rooms. */
export class SocketIoRelayLoad extends RelayLoad {
  private sockets: Socket[] = [];

  protected get actorCount(): number {
    return this.sockets.length;
  }

  async setup(args: unknown): Promise<unknown> {
    const a = args as RelaySetup;
    const n = this.layout(a);
    this.sockets = await pool(
      Array.from({ length: n }, (_, k) => k),
      32,
      (k) =>
        new Promise<Socket>((resolve, reject) => {
          const s = io(a.url, { transports: ['websocket'], reconnection: false, forceNew: true });
          s.on('connect_error', (e) => reject(e));
          s.on('connect', () => {
            s.emit('join', this.groupOf[k]!, () => resolve(s));
          });
          s.on('m', (data: unknown) => this.onData(data));
          s.on('disconnect', () => this.lost());
        }),
    );
    return { clients: n };
  }

  protected sendOne(i: number, epoch: number, sentMs: number): void {
    const s = this.sockets[i]!;
    if (!s.connected) return this.error('not open');
    s.emit('m', encode(epoch, sentMs, this.groupOf[i]!, this.size));
    this.sent();
  }

  async teardown(): Promise<void> {
    this.stop();
    this.closing = true;
    for (const s of this.sockets) s.close();
    this.sockets = [];
    await new Promise((r) => setTimeout(r, 200));
  }
}

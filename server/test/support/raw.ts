import {
  decodeRecords,
  encodePlainFrame,
  encodeRequest,
  PROTOCOL_VERSION,
  parseServerRecord,
  type RequestName,
  readHeader,
  type ServerPacket,
} from '@imw/shared';
import WebSocket from 'ws';
import { Wakeup } from './wait';

/**
 * A bare WebSocket for adversarial tests: sends exactly the bytes given and reports every
 * plaintext server packet and the close code.
 */
export class RawSocket {
  readonly packets: ServerPacket[] = [];
  closeCode: number | null = null;
  private readonly wakeup = new Wakeup();
  private readonly ws: WebSocket;

  private constructor(url: string, headers?: Record<string, string>) {
    this.ws = new WebSocket(url, headers ? { headers } : undefined);
    this.ws.binaryType = 'nodebuffer';
    this.ws.on('message', (data: Buffer, isBinary) => {
      if (isBinary) {
        const h = readHeader(new Uint8Array(data));
        if (!h.encrypted) {
          for (const r of decodeRecords(h.body)) {
            const p = parseServerRecord(r);
            if (p.ok) this.packets.push(p.value);
          }
        }
      }
      this.wakeup.wake();
    });
    this.ws.on('close', (code) => {
      this.closeCode = code;
      this.wakeup.wake();
    });
    this.ws.on('error', () => undefined);
  }

  static async open(url: string, headers?: Record<string, string>): Promise<RawSocket> {
    const s = new RawSocket(url, headers);
    await new Promise<void>((resolve, reject) => {
      s.ws.once('open', () => resolve());
      s.ws.once('error', reject);
    });
    await s.until(() => s.packets.some((p) => p.kind === 'event' && p.event.type === 'sys.hello'));
    return s;
  }

  send(bytes: Uint8Array | string): void {
    this.ws.send(bytes);
  }

  request(name: RequestName, requestId: number, params: unknown, version = PROTOCOL_VERSION): void {
    this.ws.send(encodePlainFrame(version, [encodeRequest(name, requestId, params)]));
  }

  /** Waits until `cond` holds, re-checking on every message and on close. */
  until(cond: () => boolean, timeoutMs = 3000): Promise<void> {
    return this.wakeup.until(cond, timeoutMs);
  }

  async response(requestId: number): Promise<ServerPacket> {
    const find = () => this.packets.find((p) => p.kind !== 'event' && p.requestId === requestId);
    await this.until(() => find() !== undefined);
    return find()!;
  }

  async errorEvent(): Promise<ServerPacket> {
    const find = () => this.packets.find((p) => p.kind === 'event' && p.event.type === 'sys.error');
    await this.until(() => find() !== undefined);
    return find()!;
  }

  async closed(): Promise<number> {
    await this.until(() => this.closeCode !== null);
    return this.closeCode!;
  }

  close(): void {
    this.ws.close();
  }
}

import { SubtleGcm } from '../crypto/session';
import {
  decodeRecords,
  encodePlainFrame,
  type FrameCipher,
  FrameError,
  type FrameReceiver,
  openFrame,
  readHeader,
  sealFrame,
  type WireRecord,
} from '../protocol/frame';
import { PROTOCOL_VERSION } from '../protocol/version';

/**
 * Frame cipher interface (async WebCrypto by default), so Node tools can plug in the faster
 * synchronous one (nodeCipherFactory in ./node.ts).
 */
export type DirectionCipher = FrameCipher;
export type CipherFactory = (key: Uint8Array) => Promise<DirectionCipher>;
export const subtleCipherFactory: CipherFactory = (key) => SubtleGcm.create(key);

export class ChannelError extends Error {
  constructor(
    readonly kind: 'decrypt' | 'replay' | 'frame' | 'plaintext',
    message: string,
  ) {
    super(message);
  }
}

/**
 * Client side of the framing and encryption. Work is chained so that frames are sealed and
 * opened strictly in order even though WebCrypto is asynchronous: the counter of a frame is
 * fixed when it is queued.
 */
export class ClientChannel {
  private tx: DirectionCipher | null = null;
  private rx: FrameReceiver | null = null;
  private txCounter = 0;
  private sendChain: Promise<void> = Promise.resolve();
  private recvChain: Promise<void> = Promise.resolve();

  constructor(
    private readonly write: (frame: Uint8Array) => void,
    /** `encrypted`: the records came in an authenticated (decrypted) frame, not in plaintext. */
    private readonly onRecords: (records: WireRecord[], encrypted: boolean) => void,
    private readonly onError: (err: ChannelError) => void,
  ) {}

  get encrypted(): boolean {
    return this.tx !== null;
  }

  /** Incoming frames are decrypted from now on (the login result is the first). */
  setReceiveCipher(c: DirectionCipher): void {
    this.rx = { cipher: c, counter: 0 };
  }

  setSendCipher(c: DirectionCipher): void {
    this.tx = c;
    this.txCounter = 0;
  }

  send(records: WireRecord[]): Promise<void> {
    const tx = this.tx;
    const counter = tx ? this.txCounter++ : 0;
    const job = this.sendChain.then(async () => {
      if (!tx) {
        this.write(encodePlainFrame(PROTOCOL_VERSION, records));
        return;
      }
      this.write(await sealFrame(tx, counter, records));
    });
    this.sendChain = job.catch(() => undefined);
    return job;
  }

  /** Resolves once every frame received so far has been processed. */
  drained(): Promise<void> {
    return this.recvChain;
  }

  receive(frame: Uint8Array): void {
    this.recvChain = this.recvChain.then(async () => {
      try {
        const h = readHeader(frame);
        if (!h.encrypted) {
          if (this.rx && this.tx) throw new ChannelError('plaintext', 'plaintext frame after login');
          this.onRecords(decodeRecords(h.body), false);
          return;
        }
        if (!this.rx) throw new ChannelError('frame', 'encrypted frame before key exchange');
        const expected = this.rx.counter;
        const opened = await openFrame(h, this.rx);
        if (!opened.ok) {
          if (opened.fault === 'replay')
            throw new ChannelError('replay', `counter ${h.counter} != ${expected}`);
          throw new ChannelError('decrypt', 'frame failed authentication');
        }
        this.onRecords(opened.records, true);
      } catch (e) {
        if (e instanceof ChannelError) this.onError(e);
        else if (e instanceof FrameError) this.onError(new ChannelError('frame', e.message));
        else throw e;
      }
    });
  }
}

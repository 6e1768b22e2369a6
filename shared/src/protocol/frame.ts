/**
 * The binary envelope (docs/PROTOCOL.md §Frames).
 *
 *   plain frame:      u8 version | u8 flags(=0)            | records
 *   encrypted frame:  u8 version | u8 flags(=1) | u32 ctr  | AES-256-GCM(records) + 16-byte tag
 *   record:           u16 typeId | u32 requestId | u32 payloadLength | payload (msgpack)
 *
 * One frame carries one or more records, so that a recipient's pending packets can be coalesced
 * into one encrypted frame per tick (one cipher call instead of one per packet).
 */
import { PROTOCOL_VERSION } from './version';

export const FLAG_ENCRYPTED = 0x01;
export const PLAIN_HEADER_BYTES = 2;
export const ENCRYPTED_HEADER_BYTES = 6;
export const RECORD_HEADER_BYTES = 10;
export const GCM_TAG_BYTES = 16;
/**
 * Most records one frame may carry, in either direction: decoders refuse more, so an encoder with
 * more to send (a burst of events coalesced for one recipient) splits them over several frames.
 */
export const MAX_RECORDS_PER_FRAME = 256;

/**
 * Records one frame may carry before login (R-SEC-21). A login takes one record per frame; a cap
 * this low keeps a connection that has proven nothing from buying many answers with one frame.
 */
export const PRE_LOGIN_MAX_RECORDS_PER_FRAME = 4;
/**
 * R-SEC-22: frame counters (and so AES-GCM nonces, 8 zero bytes ‖ u32 counter) stay below this,
 * in both directions. A sender whose next counter would reach it closes with KEYS_EXHAUSTED
 * instead: the client resumes, and a resume derives fresh keys whose counters start at 0. Going
 * on would wrap the u32 and reuse a nonce under the same key.
 */
export const FRAME_COUNTER_LIMIT = 2 ** 32 - 1;

export interface WireRecord {
  typeId: number;
  requestId: number;
  payload: Uint8Array;
}

export class FrameError extends Error {
  override readonly name = 'FrameError';
}

export interface FrameHeader {
  version: number;
  encrypted: boolean;
  /** Only for encrypted frames. */
  counter: number;
  /** Bytes after the header: records (plain) or ciphertext+tag (encrypted). */
  body: Uint8Array;
  /** The header bytes, authenticated as AES-GCM additional data. */
  header: Uint8Array;
}

export function readHeader(frame: Uint8Array): FrameHeader {
  if (frame.byteLength < PLAIN_HEADER_BYTES) throw new FrameError('frame shorter than its header');
  const version = frame[0]!;
  const flags = frame[1]!;
  if ((flags & ~FLAG_ENCRYPTED) !== 0) throw new FrameError(`unknown flags 0x${flags.toString(16)}`);
  const encrypted = (flags & FLAG_ENCRYPTED) !== 0;
  if (!encrypted) {
    return { version, encrypted, counter: 0, body: frame.subarray(2), header: frame.subarray(0, 2) };
  }
  if (frame.byteLength < ENCRYPTED_HEADER_BYTES + GCM_TAG_BYTES)
    throw new FrameError('encrypted frame too short');
  const view = new DataView(frame.buffer, frame.byteOffset, frame.byteLength);
  return {
    version,
    encrypted,
    counter: view.getUint32(2),
    body: frame.subarray(ENCRYPTED_HEADER_BYTES),
    header: frame.subarray(0, ENCRYPTED_HEADER_BYTES),
  };
}

export function writeHeader(version: number, encrypted: boolean, counter = 0): Uint8Array {
  const h = new Uint8Array(encrypted ? ENCRYPTED_HEADER_BYTES : PLAIN_HEADER_BYTES);
  h[0] = version;
  h[1] = encrypted ? FLAG_ENCRYPTED : 0;
  if (encrypted) new DataView(h.buffer).setUint32(2, counter);
  return h;
}

export function recordsByteLength(records: readonly WireRecord[]): number {
  let n = 0;
  for (const r of records) n += RECORD_HEADER_BYTES + r.payload.byteLength;
  return n;
}

/** Writes records into `out` at `offset`; returns the end offset. */
export function writeRecords(records: readonly WireRecord[], out: Uint8Array, offset: number): number {
  const view = new DataView(out.buffer, out.byteOffset, out.byteLength);
  let o = offset;
  for (const r of records) {
    view.setUint16(o, r.typeId);
    view.setUint32(o + 2, r.requestId);
    view.setUint32(o + 6, r.payload.byteLength);
    out.set(r.payload, o + RECORD_HEADER_BYTES);
    o += RECORD_HEADER_BYTES + r.payload.byteLength;
  }
  return o;
}

export function encodeRecords(records: readonly WireRecord[]): Uint8Array {
  const out = new Uint8Array(recordsByteLength(records));
  writeRecords(records, out, 0);
  return out;
}

/** A plain frame (before login): header + records. */
export function encodePlainFrame(version: number, records: readonly WireRecord[]): Uint8Array {
  const out = new Uint8Array(PLAIN_HEADER_BYTES + recordsByteLength(records));
  out[0] = version;
  out[1] = 0;
  writeRecords(records, out, PLAIN_HEADER_BYTES);
  return out;
}

export function decodeRecords(body: Uint8Array, maxRecords = MAX_RECORDS_PER_FRAME): WireRecord[] {
  if (body.byteLength === 0) throw new FrameError('frame has no records');
  const view = new DataView(body.buffer, body.byteOffset, body.byteLength);
  const out: WireRecord[] = [];
  let o = 0;
  while (o < body.byteLength) {
    if (out.length >= maxRecords) throw new FrameError(`more than ${maxRecords} records in one frame`);
    if (body.byteLength - o < RECORD_HEADER_BYTES) throw new FrameError('truncated record header');
    const typeId = view.getUint16(o);
    const requestId = view.getUint32(o + 2);
    const len = view.getUint32(o + 6);
    const start = o + RECORD_HEADER_BYTES;
    if (len > body.byteLength - start) throw new FrameError('record length exceeds frame');
    out.push({ typeId, requestId, payload: body.subarray(start, start + len) });
    o = start + len;
  }
  return out;
}

/**
 * One direction of AES-256-GCM (nonce = 8 zero bytes ‖ u32 counter), synchronous (node:crypto,
 * the server) or asynchronous (WebCrypto, the browser): sealFrame/openFrame take either.
 */
export interface FrameCipher {
  /** Returns ciphertext ‖ tag. */
  seal(counter: number, aad: Uint8Array, plaintext: Uint8Array): Uint8Array | Promise<Uint8Array>;
  /** Returns the plaintext; null, a throw or a rejection when the tag does not verify. */
  open(counter: number, aad: Uint8Array, sealed: Uint8Array): Uint8Array | null | Promise<Uint8Array | null>;
}

/** A cipher that answers at once, so sealing and opening stay synchronous (the gateway's hot path). */
export interface SyncFrameCipher extends FrameCipher {
  seal(counter: number, aad: Uint8Array, plaintext: Uint8Array): Uint8Array;
  open(counter: number, aad: Uint8Array, sealed: Uint8Array): Uint8Array | null;
  /** Optional: `header ‖ seal(counter, header, plaintext)` built in one buffer (the gateway's hot path). */
  sealFrameBytes?(counter: number, header: Uint8Array, plaintext: Uint8Array): Uint8Array;
}

/** The receiving side of one direction: its cipher and the counter the next frame must carry. */
export interface FrameReceiver<C extends FrameCipher = FrameCipher> {
  readonly cipher: C;
  counter: number;
}

/** Why an encrypted frame was refused; each side maps it to its own close or error. */
export type FrameFault = 'replay' | 'decrypt';
export type OpenedFrame = { ok: true; records: WireRecord[] } | { ok: false; fault: FrameFault };

const isPromise = <T>(v: T | Promise<T>): v is Promise<T> =>
  typeof (v as { then?: unknown } | null)?.then === 'function';

/**
 * An encrypted frame: header ‖ GCM(records) with the header as additional data. The caller owns
 * the counter (the SDK fixes it when a frame is queued, before the async seal runs).
 */
export function sealFrame(c: SyncFrameCipher, counter: number, records: readonly WireRecord[]): Uint8Array;
export function sealFrame(
  c: FrameCipher,
  counter: number,
  records: readonly WireRecord[],
): Uint8Array | Promise<Uint8Array>;
export function sealFrame(
  c: FrameCipher,
  counter: number,
  records: readonly WireRecord[],
): Uint8Array | Promise<Uint8Array> {
  // Header and records in one allocation: the header is the AAD, the rest the plaintext.
  const buf = new Uint8Array(ENCRYPTED_HEADER_BYTES + recordsByteLength(records));
  buf[0] = PROTOCOL_VERSION;
  buf[1] = FLAG_ENCRYPTED;
  new DataView(buf.buffer).setUint32(2, counter);
  writeRecords(records, buf, ENCRYPTED_HEADER_BYTES);
  const header = buf.subarray(0, ENCRYPTED_HEADER_BYTES);
  const direct = (c as Partial<SyncFrameCipher>).sealFrameBytes;
  if (direct) return direct.call(c, counter, header, buf.subarray(ENCRYPTED_HEADER_BYTES));
  const sealed = c.seal(counter, header, buf.subarray(ENCRYPTED_HEADER_BYTES));
  return isPromise(sealed) ? sealed.then((s) => joinFrame(header, s)) : joinFrame(header, sealed);
}

function joinFrame(header: Uint8Array, sealed: Uint8Array): Uint8Array {
  const out = new Uint8Array(header.byteLength + sealed.byteLength);
  out.set(header, 0);
  out.set(sealed, header.byteLength);
  return out;
}

/**
 * Opens an encrypted frame (`h.encrypted`, from readHeader): the counter must be the next one,
 * then the tag must verify. The counter advances as soon as the tag verifies, before the records
 * are decoded, so a frame with bad records (FrameError, thrown or rejected) still uses its counter.
 */
export function openFrame(h: FrameHeader, rx: FrameReceiver<SyncFrameCipher>): OpenedFrame;
export function openFrame(h: FrameHeader, rx: FrameReceiver): OpenedFrame | Promise<OpenedFrame>;
export function openFrame(h: FrameHeader, rx: FrameReceiver): OpenedFrame | Promise<OpenedFrame> {
  if (h.counter !== rx.counter) return REPLAY;
  let plain: Uint8Array | null | Promise<Uint8Array | null>;
  try {
    plain = rx.cipher.open(h.counter, h.header, h.body);
  } catch {
    return DECRYPT;
  }
  if (isPromise(plain))
    return plain.then(
      (p) => accept(rx, p),
      () => DECRYPT,
    );
  return accept(rx, plain);
}

const REPLAY: OpenedFrame = { ok: false, fault: 'replay' };
const DECRYPT: OpenedFrame = { ok: false, fault: 'decrypt' };

function accept(rx: FrameReceiver, plain: Uint8Array | null): OpenedFrame {
  if (plain === null) return DECRYPT;
  rx.counter++;
  return { ok: true, records: decodeRecords(plain) };
}

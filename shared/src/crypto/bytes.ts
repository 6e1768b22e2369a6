/** Byte arrays backed by a plain ArrayBuffer (what WebCrypto and our schemas take). */
export type Bytes = Uint8Array<ArrayBuffer>;

/** Byte helpers that run the same in the browser and in Node 20 (no Buffer). */

const enc = new TextEncoder();
const dec = new TextDecoder('utf-8', { fatal: true });

export const utf8 = (s: string): Bytes => enc.encode(s) as Bytes;
/** Throws a TypeError on invalid UTF-8. */
export const fromUtf8 = (b: Uint8Array): string => dec.decode(b);

export function toBase64(b: Uint8Array): string {
  let s = '';
  for (let i = 0; i < b.length; i += 0x8000) s += String.fromCharCode(...b.subarray(i, i + 0x8000));
  return btoa(s);
}

export function fromBase64(s: string): Bytes {
  const bin = atob(s);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

export function concat(...parts: Uint8Array[]): Bytes {
  let n = 0;
  for (const p of parts) n += p.byteLength;
  const out = new Uint8Array(n);
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.byteLength;
  }
  return out;
}

export function xor(a: Uint8Array, b: Uint8Array): Bytes {
  if (a.length !== b.length) throw new RangeError('xor of different lengths');
  const out = new Uint8Array(a.length);
  for (let i = 0; i < a.length; i++) out[i] = a[i]! ^ b[i]!;
  return out;
}

/** Compares without an early exit, so timing does not tell how many leading bytes matched. */
export function constantTimeEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let d = 0;
  for (let i = 0; i < a.length; i++) d |= a[i]! ^ b[i]!;
  return d === 0;
}

export function randomBytes(n: number): Bytes {
  const out = new Uint8Array(n);
  globalThis.crypto.getRandomValues(out);
  return out;
}

/** A SCRAM-safe printable nonce (base64 has no comma). */
export const randomNonce = (bytes = 18): string => toBase64(randomBytes(bytes));

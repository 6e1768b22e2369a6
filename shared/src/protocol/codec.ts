import { Packr } from 'msgpackr';

/**
 * Payload codec: msgpack via msgpackr. Records/structures extensions are off so that every
 * payload is plain, self-describing msgpack that any implementation can read.
 */
const packr = new Packr({ useRecords: false, moreTypes: false, mapsAsObjects: true, int64AsType: 'number' });

export function pack(value: unknown): Uint8Array {
  return packr.pack(value);
}

/** Throws on malformed input; callers at the edge turn that into BAD_FRAME. */
export function unpack(bytes: Uint8Array): unknown {
  return packr.unpack(bytes);
}

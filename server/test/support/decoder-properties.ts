import {
  decodeRecords,
  ENCRYPTED_HEADER_BYTES,
  ErrorCode,
  encodeRecords,
  errorBody,
  FrameError,
  GCM_TAG_BYTES,
  MIN_PROTOCOL_VERSION,
  PROTOCOL_VERSION,
  parseRequest,
  parseServerRecord,
  readHeader,
  requestNameById,
  requests,
  type WireRecord,
} from '@imw/shared';
import fc from 'fast-check';
import {
  mutate,
  mutatedRecordsArb,
  mutationArb,
  NO_TARGETS,
  plainFrameArb,
  recordArb,
  recordsAreaArb,
} from './frames';

/**
 * The decoder's contract (R-HARD-1..4), as fast-check properties: for any bytes, readHeader and
 * decodeRecords return a consistent value or throw FrameError, and parseRequest returns a typed
 * value or a typed failure; nothing else ever escapes. Used by the vitest suite and by
 * scripts/fuzz/run.ts.
 */

class ContractBroken extends Error {}

function check(cond: boolean, what: string): void {
  if (!cond) throw new ContractBroken(what);
}

/** Runs `fn`; a FrameError is an allowed answer, anything else thrown breaks the contract. */
function onlyFrameErrors<T>(fn: () => T): T | FrameError {
  try {
    return fn();
  } catch (e) {
    if (e instanceof FrameError) return e;
    if (e instanceof ContractBroken) throw e;
    throw new ContractBroken(`threw ${e instanceof Error ? `${e.name}: ${e.message}` : String(e)}`);
  }
}

const sameBytes = (a: Uint8Array, b: Uint8Array) =>
  a.byteLength === b.byteLength && Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(b);

export function checkHeader(frame: Uint8Array): void {
  const h = onlyFrameErrors(() => readHeader(frame));
  if (h instanceof FrameError) return;
  check(h.version === frame[0], 'version is the first byte');
  check(h.encrypted === ((frame[1]! & 1) === 1), 'encrypted is flag bit 0');
  check(h.header.byteLength + h.body.byteLength === frame.byteLength, 'header + body = frame');
  check(sameBytes(h.header, frame.subarray(0, h.header.byteLength)), 'header is the prefix');
  if (h.encrypted) {
    check(h.header.byteLength === ENCRYPTED_HEADER_BYTES, 'encrypted header length');
    check(h.body.byteLength >= GCM_TAG_BYTES, 'an encrypted body holds at least the tag');
    check(h.counter === new DataView(frame.buffer, frame.byteOffset).getUint32(2), 'counter');
  }
}

export function checkRecords(body: Uint8Array): void {
  const rs = onlyFrameErrors(() => decodeRecords(body));
  if (rs instanceof FrameError) return;
  check(rs.length >= 1 && rs.length <= 256, 'between 1 and 256 records');
  check(sameBytes(encodeRecords(rs), body), 'records re-encode to the same bytes');
}

const PARSE_CODES = new Set<string>([ErrorCode.BAD_FRAME, ErrorCode.UNKNOWN_TYPE, ErrorCode.BAD_REQUEST]);

export function checkParse(record: WireRecord): void {
  const p = onlyFrameErrors(() => parseRequest(record));
  check(!(p instanceof FrameError), 'parseRequest never throws, not even FrameError');
  if (p instanceof FrameError) return;
  if (p.ok) {
    check(requestNameById.get(record.typeId) === p.value.type, 'type matches the type id');
    check(requests[p.value.type].id === record.typeId, 'type id round-trips');
    check(p.value.requestId === record.requestId && record.requestId !== 0, 'request id kept, never 0');
  } else {
    check(errorBody.safeParse(p.error).success, 'the failure is a valid error body');
    check(PARSE_CODES.has(p.error.code), `parse failure code ${p.error.code}`);
  }
  // The client's parser faces the same bytes from a hostile server.
  onlyFrameErrors(() => parseServerRecord(record));
}

/** The gateway's pre-login path, minus the socket: header, version, records, requests. */
export function checkPipeline(frame: Uint8Array): void {
  const h = onlyFrameErrors(() => readHeader(frame));
  if (h instanceof FrameError) return;
  if (h.version < MIN_PROTOCOL_VERSION || h.version > PROTOCOL_VERSION || h.encrypted) return;
  const rs = onlyFrameErrors(() => decodeRecords(h.body.slice()));
  if (rs instanceof FrameError) return;
  for (const r of rs) checkParse(r);
}

/** {"": {"": … }} nested `depth` times (0x81 = map of one entry, 0xa0 = empty string key). */
function nestedMaps(depth: number): Uint8Array {
  const b = new Uint8Array(depth * 2 + 1);
  for (let i = 0; i < depth; i++) b.set([0x81, 0xa0], i * 2);
  b[depth * 2] = 0xc0; // nil at the bottom
  return b;
}

/** Payloads that stress msgpack itself: deep nesting, huge declared lengths, reserved bytes. */
const hostilePayload = fc.oneof(
  fc.integer({ min: 1, max: 60_000 }).map((depth) => new Uint8Array(depth).fill(0x91)),
  fc.integer({ min: 1, max: 30_000 }).map((depth) => nestedMaps(depth)),
  fc.constantFrom(
    Uint8Array.from([0xdd, 0xff, 0xff, 0xff, 0xff]),
    Uint8Array.from([0xdf, 0xff, 0xff, 0xff, 0xff]),
    Uint8Array.from([0xdb, 0xff, 0xff, 0xff, 0xff, 0x61]),
    Uint8Array.from([0xc6, 0xff, 0xff, 0xff, 0xff, 0x00]),
    Uint8Array.from([0xc1]),
    Uint8Array.from([0xd4, 0x72, 0x00]),
    Uint8Array.from([0xd6, 0xff, 0x00, 0x00, 0x00, 0x00]),
    Uint8Array.from([0xc7, 0x01, 0x00, 0x00]),
    Uint8Array.from([0x81, 0xa9, ...Buffer.from('__proto__'), 0x81, 0xa1, 0x61, 0x01]),
  ),
  fc.uint8Array({ maxLength: 64 }),
);

/** A property with its rule, runnable for any number of cases (vitest: hundreds; the script: millions). */
export interface NamedProperty {
  name: string;
  check(params: { numRuns: number; seed?: number }): fc.RunDetails<unknown>;
}

function named<Ts>(name: string, property: fc.IProperty<Ts>): NamedProperty {
  return { name, check: (params) => fc.check(property, params) as fc.RunDetails<unknown> };
}

export function decoderProperties(): NamedProperty[] {
  const t = NO_TARGETS;
  return [
    named(
      'R-HARD-1: readHeader returns a consistent header or throws FrameError',
      fc.property(fc.oneof(fc.uint8Array({ maxLength: 64 }), plainFrameArb(t)), (b) => void checkHeader(b)),
    ),
    named(
      'R-HARD-2: decodeRecords returns records that re-encode to the input, or throws FrameError',
      fc.property(
        fc.oneof(
          fc.uint8Array({ maxLength: 128 }),
          recordsAreaArb(t),
          mutatedRecordsArb(t),
          fc.integer({ min: 250, max: 300 }).map((n) => new Uint8Array(n * 10)),
        ),
        (b) => void checkRecords(b),
      ),
    ),
    named(
      'R-HARD-3: parseRequest never throws; it returns a typed request or a typed failure',
      fc.property(
        fc.oneof(
          recordArb(t),
          fc
            .tuple(recordArb(t), fc.array(mutationArb, { minLength: 1, maxLength: 3 }))
            .map(([r, ms]) => ({ ...r, payload: mutate(r.payload, ms) })),
          fc.record({
            typeId: fc.constantFrom(...Object.values(requests).map((d) => d.id)),
            requestId: fc.integer({ min: 1, max: 0xffff_ffff }),
            payload: hostilePayload,
          }),
        ),
        (r) => void checkParse(r),
      ),
    ),
    named(
      'R-HARD-4: whole mutated frames through header, records and requests throw only FrameError',
      fc.property(plainFrameArb(t), (b) => void checkPipeline(b)),
    ),
  ];
}

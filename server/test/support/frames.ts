import {
  AVATARS,
  encodePlainFrame,
  encodeRecords,
  eventNameById,
  PROTOCOL_VERSION,
  pack,
  type RequestName,
  requests,
  SCENE_ACTIONS,
  type WireRecord,
} from '@imw/shared';
import fc from 'fast-check';

/**
 * fast-check arbitraries for the wire: records, frames, request parameters shaped like each
 * request's schema, and byte-level mutations of valid frames. Shared by the vitest properties
 * (a few hundred runs) and scripts/fuzz/run.ts (a million).
 */

export const REQUEST_NAMES = Object.keys(requests) as RequestName[];
const REQUEST_IDS = REQUEST_NAMES.map((n) => requests[n].id);
const EVENT_IDS = [...eventNameById.keys()];

/** Request ids a fuzzed record may carry: 0 (invalid for requests) or far above the test's own. */
export const fuzzRequestId = fc.oneof(
  { arbitrary: fc.constant(0), weight: 1 },
  { arbitrary: fc.integer({ min: 1_000_000, max: 0xffff_ffff }), weight: 6 },
);

/** Field names a request's params schema knows (objects, unions of objects). */
export function paramKeys(name: RequestName): string[] {
  return keysOf(requests[name].params);
}

function keysOf(schema: unknown, depth = 0): string[] {
  if (depth > 4 || !schema || typeof schema !== 'object') return [];
  const s = schema as { shape?: unknown; options?: unknown; def?: { innerType?: unknown } };
  if (s.shape && typeof s.shape === 'object') return Object.keys(s.shape);
  if (Array.isArray(s.options)) return [...new Set(s.options.flatMap((o) => keysOf(o, depth + 1)))];
  return keysOf(s.def?.innerType, depth + 1);
}

/** Values the server knows by name (targets, enum members), so some fuzzed requests are valid. */
export interface FuzzTargets {
  userIds: number[];
  usernames: string[];
  groupIds: number[];
}

const INTERESTING_NUMBERS = [
  0,
  -1,
  1,
  2 ** 31 - 1,
  2 ** 31,
  2 ** 32,
  2 ** 53,
  -(2 ** 53),
  Number.NaN,
  Number.POSITIVE_INFINITY,
  Number.NEGATIVE_INFINITY,
  -0,
  0.5,
  1e308,
];
const INTERESTING_STRINGS = [
  '',
  ' ',
  'online',
  'away',
  'busy',
  'invisible',
  'normal',
  'scene',
  'offer',
  'answer',
  'candidate',
  'hangup',
  'data',
  'video',
  'park',
  'plaza',
  '../../etc/passwd',
  '__proto__',
  'constructor',
  'x'.repeat(65),
  'x'.repeat(2001),
  'a'.repeat(24),
  'bad \ud800 text',
  'bell \u0007',
  '\u0000',
  ...AVATARS,
  ...SCENE_ACTIONS,
];

/** One parameter value: anything msgpack can carry, biased towards what schemas accept. */
export function valueArb(t: FuzzTargets): fc.Arbitrary<unknown> {
  const scalars: fc.Arbitrary<unknown>[] = [
    fc.constantFrom(...INTERESTING_NUMBERS),
    fc.constantFrom(...INTERESTING_STRINGS),
    fc.integer({ min: 0, max: 2 ** 31 - 1 }),
    fc.double(),
    fc.string({ maxLength: 40 }),
    fc.string({ unit: 'binary', maxLength: 20 }),
    fc.boolean(),
    fc.constant(null),
    fc.uint8Array({ minLength: 0, maxLength: 70 }),
    fc.constantFrom(new Uint8Array(16), new Uint8Array(32), new Uint8Array(64)),
  ];
  if (t.userIds.length) scalars.push(fc.constantFrom(...t.userIds));
  if (t.usernames.length) scalars.push(fc.constantFrom(...t.usernames));
  if (t.groupIds.length) scalars.push(fc.constantFrom(...t.groupIds));
  const scalar = fc.oneof(...scalars);
  return fc.oneof(
    { arbitrary: scalar, weight: 8 },
    { arbitrary: fc.array(scalar, { maxLength: 4 }), weight: 1 },
    { arbitrary: fc.dictionary(fc.string({ maxLength: 8 }), scalar, { maxKeys: 3 }), weight: 1 },
  );
}

const bytesOf = (min: number, max = min) => fc.uint8Array({ minLength: min, maxLength: max });
/** Printable ASCII half the time, any code point (NUL, controls, astral) the other half. */
const str = (minLength: number, maxLength: number) =>
  fc.oneof(fc.string({ minLength, maxLength }), fc.string({ unit: 'binary', minLength, maxLength }));
const nonceArb = fc.stringMatching(/^[\x21-\x2b\x2d-\x7e]{16,40}$/);

/**
 * Values that pass each field's schema, by field name (every request names its fields the same
 * way), so that a good share of fuzzed requests get past validation and into the handlers.
 */
const domainCache = new WeakMap<FuzzTargets, Record<string, fc.Arbitrary<unknown>>>();

function domainArbs(t: FuzzTargets): Record<string, fc.Arbitrary<unknown>> {
  const hit = domainCache.get(t);
  if (hit) return hit;
  const built = buildDomainArbs(t);
  domainCache.set(t, built);
  return built;
}

function buildDomainArbs(t: FuzzTargets): Record<string, fc.Arbitrary<unknown>> {
  const userIds = t.userIds.length ? fc.constantFrom(...t.userIds) : fc.integer({ min: 1, max: 2 ** 31 - 1 });
  const scramKeys = fc.record({
    salt: bytesOf(16, 64),
    iterations: fc.integer({ min: 4096, max: 5000 }),
    storedKey: bytesOf(32),
    serverKey: bytesOf(32),
  });
  return {
    username: fc.oneof(
      fc.stringMatching(/^[a-z0-9][a-z0-9_.-]{2,12}$/),
      ...(t.usernames.length ? [fc.constantFrom(...t.usernames)] : []),
    ),
    displayName: str(1, 64),
    clientNonce: nonceArb,
    nonce: nonceArb,
    clientPublicKey: bytesOf(32),
    clientProof: bytesOf(32),
    proof: bytesOf(32),
    storedKey: bytesOf(32),
    serverKey: bytesOf(32),
    salt: bytesOf(16, 64),
    iterations: fc.integer({ min: 4096, max: 5000 }),
    newKeys: scramKeys,
    resumeToken: str(16, 80),
    mode: fc.constantFrom('normal', 'scene'),
    sceneId: fc.constantFrom('park', 'plaza', 'nowhere'),
    avatar: fc.constantFrom(...AVATARS),
    bio: str(0, 280),
    to: userIds,
    userId: userIds,
    groupId: t.groupIds.length ? fc.constantFrom(...t.groupIds) : fc.integer({ min: 1, max: 1000 }),
    text: str(1, 120),
    name: str(1, 64),
    query: str(0, 64),
    status: fc.constantFrom('online', 'away', 'busy', 'invisible'),
    callId: str(1, 64),
    kind: fc.constantFrom('offer', 'answer', 'candidate', 'hangup'),
    sdp: str(0, 200),
    media: fc.constantFrom('data', 'audio', 'video'),
    candidate: fc.record(
      {
        candidate: fc.string({ maxLength: 100 }),
        sdpMid: fc.option(fc.string({ maxLength: 8 })),
        sdpMLineIndex: fc.option(fc.integer({ min: 0, max: 64 })),
      },
      { requiredKeys: ['candidate'] },
    ),
    spawn: str(1, 64),
    x: fc.integer({ min: 0, max: 4000 }),
    y: fc.integer({ min: 0, max: 4000 }),
    seq: fc.nat(),
    action: fc.constantFrom(...SCENE_ACTIONS),
  };
}

/**
 * Params for one request: its own field names, each with a value that passes the field's schema
 * (mostly) or a fuzzed one; sometimes extra keys or anything at all.
 */
export function paramsArb(name: RequestName, t: FuzzTargets): fc.Arbitrary<unknown> {
  const keys = paramKeys(name);
  const v = valueArb(t);
  const domain = domainArbs(t);
  const field = (k: string) => {
    const good = domain[k];
    return good ? fc.oneof({ arbitrary: good, weight: 12 }, { arbitrary: v, weight: 1 }) : v;
  };
  const model = Object.fromEntries(keys.map((k) => [k, field(k)])) as Record<string, fc.Arbitrary<unknown>>;
  // Every field present (most requests need them all), or any subset of them.
  const shaped =
    keys.length > 0
      ? fc.oneof(
          { arbitrary: fc.record(model), weight: 3 },
          { arbitrary: fc.record(model, { requiredKeys: [] }), weight: 1 },
        )
      : fc.constant({});
  return fc.oneof(
    { arbitrary: shaped, weight: 8 },
    {
      arbitrary: fc
        .tuple(shaped, fc.string({ maxLength: 6 }), v)
        .map(([o, k, x]) => ({ ...(o as object), [k]: x })),
      weight: 1,
    },
    { arbitrary: fc.anything({ maxDepth: 2, maxKeys: 4 }), weight: 1 },
  );
}

/** msgpack of `value`, or random bytes when msgpack cannot carry it. */
function safePack(value: unknown, fallback: Uint8Array): Uint8Array {
  try {
    return pack(value);
  } catch {
    return fallback;
  }
}

/**
 * Which request types to favour: before login only the public ones (register, challenge, login,
 * resume) reach a handler, so a pre-login fuzzer weights them up.
 */
export interface Bias {
  publicWeight: number;
}

/** One request record whose type and params are (mostly) real. */
export function requestRecordArb(t: FuzzTargets, bias: Bias = { publicWeight: 1 }) {
  // One arbitrary per request type, built once (building arbitraries is the expensive part).
  const perType = REQUEST_NAMES.map((name) => ({
    weight: requests[name].public ? bias.publicWeight : 1,
    arbitrary: fc
      .record({
        requestId: fuzzRequestId,
        params: paramsArb(name, t),
        fallback: fc.uint8Array({ maxLength: 32 }),
      })
      .map(
        ({ requestId, params, fallback }): WireRecord => ({
          typeId: requests[name].id,
          requestId,
          payload: safePack(params, fallback),
        }),
      ),
  }));
  return fc.oneof(...perType);
}

/** Any record: real types with shaped params, unknown or server-only type ids, raw payload bytes. */
export function recordArb(t: FuzzTargets, bias?: Bias): fc.Arbitrary<WireRecord> {
  const typeId = fc.oneof(
    { arbitrary: fc.constantFrom(...REQUEST_IDS), weight: 4 },
    { arbitrary: fc.constantFrom(1, 2, ...EVENT_IDS), weight: 1 },
    { arbitrary: fc.integer({ min: 0, max: 0xffff }), weight: 1 },
  );
  const payload = fc.oneof(
    fc.uint8Array({ maxLength: 64 }),
    fc.constant(new Uint8Array(0)),
    fc.anything({ maxDepth: 2, maxKeys: 4 }).map((v) => safePack(v, new Uint8Array([0xc1]))),
  );
  return fc.oneof(
    { arbitrary: requestRecordArb(t, bias), weight: 4 },
    { arbitrary: fc.record({ typeId, requestId: fuzzRequestId, payload }), weight: 2 },
  );
}

/** Encoded records (the plaintext of a frame), 1 to 4 of them. */
export function recordsAreaArb(t: FuzzTargets, bias?: Bias): fc.Arbitrary<Uint8Array> {
  return fc.array(recordArb(t, bias), { minLength: 1, maxLength: 4 }).map((rs) => encodeRecords(rs));
}

export type Mutation =
  | { kind: 'flip'; pos: number; bit: number }
  | { kind: 'set'; pos: number; value: number }
  | { kind: 'truncate'; pos: number }
  | { kind: 'insert'; pos: number; bytes: Uint8Array }
  | { kind: 'delete'; pos: number; len: number }
  | { kind: 'u32'; pos: number; value: number }
  | { kind: 'duplicate'; pos: number; len: number };

export const mutationArb: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('flip' as const), pos: fc.nat(), bit: fc.integer({ min: 0, max: 7 }) }),
  fc.record({ kind: fc.constant('set' as const), pos: fc.nat(), value: fc.integer({ min: 0, max: 255 }) }),
  fc.record({ kind: fc.constant('truncate' as const), pos: fc.nat() }),
  fc.record({
    kind: fc.constant('insert' as const),
    pos: fc.nat(),
    bytes: fc.uint8Array({ minLength: 1, maxLength: 12 }),
  }),
  fc.record({ kind: fc.constant('delete' as const), pos: fc.nat(), len: fc.integer({ min: 1, max: 12 }) }),
  fc.record({
    kind: fc.constant('u32' as const),
    pos: fc.nat(),
    value: fc.constantFrom(0, 1, 9, 10, 11, 0x7fff_ffff, 0xffff_ffff, 65_536),
  }),
  fc.record({ kind: fc.constant('duplicate' as const), pos: fc.nat(), len: fc.integer({ min: 1, max: 40 }) }),
);

/** Applies mutations in order; positions wrap around the current length. */
export function mutate(input: Uint8Array, mutations: readonly Mutation[]): Uint8Array {
  let b: Uint8Array = Uint8Array.from(input);
  for (const m of mutations) {
    const n = b.byteLength;
    const at = n === 0 ? 0 : m.pos % n;
    switch (m.kind) {
      case 'flip':
        if (n) b[at] = b[at]! ^ (1 << m.bit);
        break;
      case 'set':
        if (n) b[at] = m.value;
        break;
      case 'truncate':
        b = b.slice(0, n === 0 ? 0 : m.pos % (n + 1));
        break;
      case 'insert':
        b = concat(b.subarray(0, at), m.bytes, b.subarray(at));
        break;
      case 'delete':
        b = concat(b.subarray(0, at), b.subarray(at + m.len));
        break;
      case 'u32':
        if (n >= 4) new DataView(b.buffer, b.byteOffset).setUint32(m.pos % (n - 3), m.value);
        break;
      case 'duplicate':
        b = concat(b.subarray(0, at + m.len), b.subarray(at));
        break;
      default: {
        const never: never = m;
        throw new Error(`unknown mutation ${String(never)}`);
      }
    }
  }
  return b;
}

function concat(...parts: Uint8Array[]): Uint8Array {
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

/** A valid records area, mutated (1 to 4 mutations). */
export function mutatedRecordsArb(t: FuzzTargets, bias?: Bias): fc.Arbitrary<Uint8Array> {
  return fc
    .tuple(recordsAreaArb(t, bias), fc.array(mutationArb, { minLength: 1, maxLength: 4 }))
    .map(([b, ms]) => mutate(b, ms));
}

/** What a client could put in a records area: random bytes, real records, or mutated real records. */
export function plaintextArb(t: FuzzTargets, bias?: Bias): fc.Arbitrary<Uint8Array> {
  return fc.oneof(
    { arbitrary: fc.uint8Array({ maxLength: 200 }), weight: 1 },
    { arbitrary: recordsAreaArb(t, bias), weight: 3 },
    { arbitrary: mutatedRecordsArb(t, bias), weight: 3 },
  );
}

/** Whole plain frames (before login): mostly version 1, flags 0, then records; sometimes mutated. */
export function plainFrameArb(t: FuzzTargets, bias: Bias = { publicWeight: 6 }): fc.Arbitrary<Uint8Array> {
  const header = fc.tuple(
    fc.oneof(
      { arbitrary: fc.constant(PROTOCOL_VERSION), weight: 12 },
      { arbitrary: fc.integer({ min: 0, max: 255 }), weight: 1 },
    ),
    fc.oneof(
      { arbitrary: fc.constant(0), weight: 12 },
      { arbitrary: fc.integer({ min: 0, max: 255 }), weight: 1 },
    ),
  );
  const framed = fc
    .tuple(header, plaintextArb(t, bias))
    .map(([[v, f], body]) => concat(new Uint8Array([v, f]), body));
  return fc.oneof(
    { arbitrary: framed, weight: 6 },
    { arbitrary: fc.uint8Array({ maxLength: 64 }), weight: 1 },
    {
      arbitrary: fc
        .tuple(
          fc.array(requestRecordArb(t, bias), { minLength: 1, maxLength: 3 }),
          fc.array(mutationArb, { minLength: 1, maxLength: 3 }),
        )
        .map(([rs, ms]) => mutate(encodePlainFrame(PROTOCOL_VERSION, rs), ms)),
      weight: 2,
    },
  );
}

export const NO_TARGETS: FuzzTargets = { userIds: [], usernames: [], groupIds: [] };

import {
  CloseCode,
  decodeRecords,
  ErrorCode,
  FrameError,
  MIN_PROTOCOL_VERSION,
  PRE_LOGIN_MAX_RECORDS_PER_FRAME,
  PROTOCOL_VERSION,
  parseRequest,
  type RequestName,
  readHeader,
  requests,
  type ServerPacket,
} from '@imw/shared';
import { OWN_REQUEST_IDS_BELOW } from './secure';

/**
 * What the gateway must answer to one frame (docs: gateway.ts pipeline and codes.ts), computed
 * from the bytes alone, and a checker for what actually came back before the sentinel's answer.
 */

/** Requests whose answer to a stranger is silence (R-MSG-3): zero or one answer. */
const MAY_BE_SILENT = new Set<RequestName>(['chat.send', 'rtc.signal']);

export interface Expectation {
  /** The frame closes the connection with this code (version checks). */
  close: number | null;
  /** The frame as a whole is undecodable: one sys.error BAD_FRAME. */
  malformed: boolean;
  /** Records with request id 0 that fail to parse: one sys.error each. */
  sysErrors: number;
  /** Per request id: how many answers, and the error code when the gateway decides it itself. */
  answers: Map<number, { min: number; max: number; codes: Set<string> | null }>;
  /** A valid logout: the connection then closes with 1000 after its answer. */
  logout: boolean;
  /** Some record carries a request id the test uses for itself; the case cannot be judged. */
  ownIds: boolean;
}

function expect0(): Expectation {
  return { close: null, malformed: false, sysErrors: 0, answers: new Map(), logout: false, ownIds: false };
}

function add(e: Expectation, id: number, min: number, max: number, code: string | null): void {
  const cur = e.answers.get(id);
  if (!cur) {
    e.answers.set(id, { min, max, codes: code === null ? null : new Set([code]) });
    return;
  }
  cur.min += min;
  cur.max += max;
  if (cur.codes && code !== null) cur.codes.add(code);
  else cur.codes = null;
}

/** Expectation for the records area (plaintext) of a frame that passed the header checks. */
export function expectRecords(plaintext: Uint8Array, phase: 'anonymous' | 'secure'): Expectation {
  const e = expect0();
  let records: ReturnType<typeof decodeRecords>;
  try {
    // R-SEC-21: few records a frame before login.
    records = decodeRecords(plaintext, phase === 'anonymous' ? PRE_LOGIN_MAX_RECORDS_PER_FRAME : undefined);
  } catch (err) {
    if (!(err instanceof FrameError)) throw err;
    e.malformed = true;
    return e;
  }
  for (const r of records) {
    if (r.requestId > 0 && r.requestId < OWN_REQUEST_IDS_BELOW) e.ownIds = true;
    const parsed = parseRequest(r);
    if (!parsed.ok) {
      if (r.requestId === 0) e.sysErrors++;
      else add(e, r.requestId, 1, 1, parsed.error.code);
      continue;
    }
    const { type, requestId } = parsed.value;
    const def = requests[type];
    if (!def.public && phase === 'anonymous') add(e, requestId, 1, 1, ErrorCode.NOT_LOGGED_IN);
    else if (def.public && phase === 'secure') add(e, requestId, 1, 1, ErrorCode.ALREADY_LOGGED_IN);
    else if (type === 'sys.heartbeat') add(e, requestId, 1, 1, null);
    else {
      add(e, requestId, MAY_BE_SILENT.has(type) ? 0 : 1, 1, null);
      if (type === 'auth.logout') e.logout = true;
    }
  }
  return e;
}

/** R-VER-3: the version byte is judged before the rest of the header; null when it is fine. */
function versionClose(frame: Uint8Array): number | null {
  const v = frame[0];
  if (v === undefined) return null;
  if (v < MIN_PROTOCOL_VERSION) return CloseCode.VERSION_TOO_OLD;
  if (v > PROTOCOL_VERSION) return CloseCode.VERSION_TOO_NEW;
  return null;
}

/** Expectation for a whole plain frame sent before login. */
export function expectPlainFrame(frame: Uint8Array): Expectation {
  const close = versionClose(frame);
  if (close !== null) return { ...expect0(), close };
  let h: ReturnType<typeof readHeader>;
  try {
    h = readHeader(frame);
  } catch (err) {
    if (!(err instanceof FrameError)) throw err;
    return { ...expect0(), malformed: true };
  }
  if (h.encrypted) return { ...expect0(), malformed: true };
  return expectRecords(h.body, 'anonymous');
}

/**
 * Expectation for an encrypted frame after login, replaying the gateway's order of checks:
 * version byte, header, encrypted flag, counter, authentication tag, records. `consumed` says whether
 * the server moved on to the next counter (only a frame that decrypts does).
 */
export function expectSecureFrame(
  frame: Uint8Array,
  expectedCounter: number,
  open: (counter: number, aad: Uint8Array, sealed: Uint8Array) => Uint8Array | null,
): { e: Expectation; consumed: boolean } {
  const close = versionClose(frame);
  if (close !== null) return { e: { ...expect0(), close }, consumed: false };
  let h: ReturnType<typeof readHeader>;
  try {
    h = readHeader(frame);
  } catch (err) {
    if (!(err instanceof FrameError)) throw err;
    return { e: { ...expect0(), malformed: true }, consumed: false };
  }
  const closing = (code: number) => ({ e: { ...expect0(), close: code }, consumed: false });
  if (!h.encrypted) return closing(CloseCode.PROTOCOL_ERROR);
  if (h.counter !== expectedCounter) return closing(CloseCode.REPLAY);
  const plain = open(h.counter, h.header, h.body);
  if (!plain) return closing(CloseCode.DECRYPT_FAILED);
  return { e: expectRecords(plain, 'secure'), consumed: true };
}

export const DOCUMENTED_CLOSE_CODES = new Set<number>(Object.values(CloseCode));

/**
 * Checks the packets that came back for one frame (everything received after it was sent, up to
 * and including the sentinel's answer). Returns the problems found, empty when it was answered
 * as documented. `closeCode` is set when the connection closed meanwhile.
 */
export function judge(
  e: Expectation,
  got: readonly ServerPacket[],
  sentinelId: number,
  closeCode: number | null,
): string[] {
  const problems: string[] = [];
  if (closeCode !== null) {
    const allowed =
      (e.close !== null && closeCode === e.close) ||
      (e.logout && closeCode === CloseCode.NORMAL) ||
      // A connection can always be closed for sustained rate abuse or malformed frames.
      closeCode === CloseCode.RATE_LIMITED ||
      (e.malformed && closeCode === CloseCode.PROTOCOL_ERROR);
    if (!allowed) problems.push(`closed with ${closeCode}, expected ${e.close ?? 'an answer'}`);
    return problems;
  }
  if (e.close !== null) {
    problems.push(`expected close ${e.close}, the connection stayed open`);
    return problems;
  }
  const sysErrors = got.filter((p) => p.kind === 'event' && p.event.type === 'sys.error');
  const wantSys = e.sysErrors + (e.malformed ? 1 : 0);
  if (sysErrors.length !== wantSys)
    problems.push(`${sysErrors.length} sys.error events, expected ${wantSys}`);
  if (e.malformed) {
    const bad = sysErrors.find((p) => p.kind === 'event' && p.event.type === 'sys.error');
    if (
      bad?.kind === 'event' &&
      bad.event.type === 'sys.error' &&
      bad.event.body.code !== ErrorCode.BAD_FRAME
    ) {
      problems.push(`malformed frame answered with ${bad.event.body.code}, not BAD_FRAME`);
    }
  }
  const byId = new Map<number, ServerPacket[]>();
  for (const p of got) {
    if (p.kind === 'event' || p.requestId === sentinelId) continue;
    const list = byId.get(p.requestId) ?? [];
    list.push(p);
    byId.set(p.requestId, list);
  }
  for (const [id, want] of e.answers) {
    const list = byId.get(id) ?? [];
    byId.delete(id);
    if (list.length < want.min || list.length > want.max) {
      problems.push(`request ${id}: ${list.length} answers, expected ${want.min}..${want.max}`);
    }
    for (const p of list) {
      if (p.kind !== 'error') continue;
      if (p.error.code === ErrorCode.INTERNAL) problems.push(`request ${id}: INTERNAL (${p.error.message})`);
      // The rate limits may refuse any request; otherwise the gateway's own answer is exact.
      if (want.codes && !want.codes.has(p.error.code) && p.error.code !== ErrorCode.RATE_LIMITED) {
        problems.push(`request ${id}: ${p.error.code}, expected ${[...want.codes].join('|')}`);
      }
    }
  }
  for (const id of byId.keys()) problems.push(`unexpected answer for request ${id}`);
  return problems;
}

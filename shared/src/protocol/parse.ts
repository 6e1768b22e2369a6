import type { z } from 'zod';
import { pack, unpack } from './codec';
import { ErrorCode } from './codes';
import type { WireRecord } from './frame';
import {
  ERROR_TYPE_ID,
  type ErrorBody,
  type EventName,
  type EventPacket,
  type EventWire,
  errorBody,
  eventNameById,
  events,
  RESULT_TYPE_ID,
  type RequestName,
  type RequestPacket,
  requestNameById,
  requests,
} from './packets';

export type ParseFailure = { ok: false; error: ErrorBody };
export type Parsed<T> = { ok: true; value: T } | ParseFailure;

const fail = (code: ErrorBody['code'], message: string, details?: string[]): ParseFailure => ({
  ok: false,
  error: details ? { code, message, details } : { code, message },
});

function issues(err: z.ZodError): string[] {
  return err.issues.slice(0, 8).map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`);
}

/** Parse at the edge: one client record into a typed request, or a typed error. Never throws. */
export function parseRequest(record: WireRecord): Parsed<RequestPacket> {
  const name = requestNameById.get(record.typeId);
  if (name === undefined) return fail(ErrorCode.UNKNOWN_TYPE, `unknown packet type ${record.typeId}`);
  if (record.requestId === 0) return fail(ErrorCode.BAD_FRAME, 'requests need a non-zero request id');
  let raw: unknown;
  try {
    raw = record.payload.byteLength === 0 ? {} : unpack(record.payload);
  } catch {
    return fail(ErrorCode.BAD_FRAME, `payload of ${name} is not valid msgpack`);
  }
  const checked = requests[name].params.safeParse(raw);
  if (!checked.success) return fail(ErrorCode.BAD_REQUEST, `invalid ${name}`, issues(checked.error));
  return {
    ok: true,
    value: { type: name, requestId: record.requestId, params: checked.data } as RequestPacket,
  };
}

export function encodeRequest<K extends RequestName>(
  name: K,
  requestId: number,
  params: unknown,
): WireRecord {
  return { typeId: requests[name].id, requestId, payload: pack(params) };
}

export function encodeResult(requestId: number, result: unknown): WireRecord {
  return { typeId: RESULT_TYPE_ID, requestId, payload: pack(result) };
}

export function encodeError(requestId: number, error: ErrorBody): WireRecord {
  return { typeId: ERROR_TYPE_ID, requestId, payload: pack(error) };
}

export function encodeEvent<K extends EventName>(name: K, body: EventWire<K>): WireRecord {
  return { typeId: events[name].id, requestId: 0, payload: pack(body) };
}

/** What a client receives: a response to one of its requests, or an event. */
export type ServerPacket =
  | { kind: 'result'; requestId: number; payload: unknown }
  | { kind: 'error'; requestId: number; error: ErrorBody }
  | { kind: 'event'; event: EventPacket };

/**
 * Client-side parse of one server record. Throws nothing; malformed server data is a failure.
 * `unchecked`: events whose body is taken as decoded, without its schema (a load generator's
 * choice, see ClientOptions.uncheckedEvents); only for schemas without defaults or transforms.
 */
export function parseServerRecord(
  record: WireRecord,
  unchecked?: ReadonlySet<EventName>,
): Parsed<ServerPacket> {
  let raw: unknown;
  try {
    raw = record.payload.byteLength === 0 ? {} : unpack(record.payload);
  } catch {
    return fail(ErrorCode.BAD_FRAME, 'server payload is not valid msgpack');
  }
  if (record.typeId === RESULT_TYPE_ID) {
    return { ok: true, value: { kind: 'result', requestId: record.requestId, payload: raw } };
  }
  if (record.typeId === ERROR_TYPE_ID) {
    const e = errorBody.safeParse(raw);
    if (!e.success) return fail(ErrorCode.BAD_FRAME, 'malformed error body', issues(e.error));
    return { ok: true, value: { kind: 'error', requestId: record.requestId, error: e.data } };
  }
  const name = eventNameById.get(record.typeId);
  if (name === undefined) return fail(ErrorCode.UNKNOWN_TYPE, `unknown event type ${record.typeId}`);
  if (unchecked?.has(name) && typeof raw === 'object' && raw !== null)
    return { ok: true, value: { kind: 'event', event: { type: name, body: raw } as EventPacket } };
  const body = events[name].body.safeParse(raw);
  if (!body.success) return fail(ErrorCode.BAD_FRAME, `malformed ${name}`, issues(body.error));
  return { ok: true, value: { kind: 'event', event: { type: name, body: body.data } as EventPacket } };
}

import type { z } from 'zod';
import type { EventDef, RequestDef } from '../schema';
import { accountRequests, authEvents, authRequests } from './auth';
import { messagingEvents, messagingRequests } from './messaging';
import { receiptsEvents, receiptsRequests } from './receipts';
import { reportsEvents, reportsRequests } from './reports';
import { safetyEvents, safetyRequests } from './safety';
import { sceneEvents, sceneRequests } from './scene';
import { settingsEvents, settingsRequests } from './settings';
import { socialEvents, socialRequests } from './social';
import { sysEvents, sysRequests } from './sys';

export * from './auth';
export * from './messaging';
export * from './receipts';
export * from './reports';
export * from './safety';
export * from './scene';
export * from './scene-moves';
export * from './settings';
export * from './social';
export * from './sys';

/**
 * Every client-to-server request. Each domain keeps its own table in this folder; this object is
 * the one registry that the codec, the server dispatcher and the SDK read.
 */
export const requests = {
  ...sysRequests,
  ...authRequests,
  ...accountRequests,
  ...socialRequests,
  ...messagingRequests,
  ...receiptsRequests,
  ...sceneRequests,
  ...settingsRequests,
  ...reportsRequests,
  ...safetyRequests,
} as const satisfies Record<string, RequestDef>;

/** Every server-to-client event (pushed without a request id). */
export const events = {
  ...sysEvents,
  ...authEvents,
  ...socialEvents,
  ...messagingEvents,
  ...receiptsEvents,
  ...sceneEvents,
  ...settingsEvents,
  ...reportsEvents,
  ...safetyEvents,
} as const satisfies Record<string, EventDef>;

export type Requests = typeof requests;
export type RequestName = keyof Requests;
/** What a caller passes (defaults may be omitted). */
export type ParamsIn<K extends RequestName> = z.input<Requests[K]['params']>;
/** What a handler receives after validation. */
export type Params<K extends RequestName> = z.output<Requests[K]['params']>;
export type Result<K extends RequestName> = z.output<Requests[K]['result']>;
export type ResultIn<K extends RequestName> = z.input<Requests[K]['result']>;

export type Events = typeof events;
export type EventName = keyof Events;
export type EventBody<K extends EventName> = z.output<Events[K]['body']>;
/** What goes on the wire before parsing (differs only where a schema transforms, as packed moves do). */
export type EventWire<K extends EventName> = z.input<Events[K]['body']>;

/** A validated client request: a discriminated union on `type`. */
export type RequestPacket = {
  [K in RequestName]: { type: K; requestId: number; params: Params<K> };
}[RequestName];

export type EventPacket = {
  [K in EventName]: { type: K; body: EventBody<K> };
}[EventName];

function indexById<T extends { id: number }>(table: Record<string, T>): Map<number, string> {
  const byId = new Map<number, string>();
  for (const [name, def] of Object.entries(table)) {
    const clash = byId.get(def.id);
    if (clash !== undefined) throw new Error(`packet id ${def.id} used by both ${clash} and ${name}`);
    byId.set(def.id, name);
  }
  return byId;
}

export const requestNameById = indexById(requests) as Map<number, RequestName>;
export const eventNameById = indexById(events) as Map<number, EventName>;

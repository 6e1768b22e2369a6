import type { RequestName } from '@imw/shared';

/**
 * What a request costs in the per-connection bucket (REQUESTS_PER_SEC), R-LIM-16. Requests that
 * may read or write the database cost `dbCost`; those the modules answer from memory (sessions,
 * cached friend and member sets, scenes) cost 1. Pre-login requests cost 1 here: they have their
 * own per-address budget (R-LIM-14). A new request type costs `dbCost` until it is listed here.
 */
const FROM_MEMORY: ReadonlySet<RequestName> = new Set<RequestName>([
  'sys.heartbeat',
  'presence.setStatus',
  'chat.send',
  'chat.sendGroup',
  'rtc.iceServers',
  'rtc.signal',
  'scene.join',
  'scene.leave',
  'scene.move',
  'scene.action',
  'scene.chat',
]);

export function requestCost(type: RequestName, isPublic: boolean, dbCost: number): number {
  return isPublic || FROM_MEMORY.has(type) ? 1 : dbCost;
}

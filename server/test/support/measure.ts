import type { EventName } from '@imw/shared';
import { type ImClient, ImError } from '@imw/shared/sdk';
import type { ImServer } from '../../../src';
import { EventLog } from '../../support/events';
import { type ClientOpts, loggedInUser } from '../../support/server';

export const EVENTS = [
  'friends.requestReceived',
  'friends.requestAnswered',
  'friends.added',
  'friends.removed',
  'presence.changed',
  'groups.memberJoined',
  'groups.memberLeft',
  'chat.message',
  'chat.groupMessage',
  'chat.system',
  'rtc.signal',
  'sys.error',
] as const satisfies readonly EventName[];

export interface User {
  client: ImClient;
  username: string;
  password: string;
  userId: number;
  log: EventLog;
}

export async function user(server: ImServer, prefix: string, opts: ClientOpts = {}): Promise<User> {
  const u = await loggedInUser(server, prefix, opts);
  return { ...u, userId: u.profile.userId, log: new EventLog(u.client, EVENTS) };
}

export async function befriend(a: User, b: User): Promise<void> {
  await a.client.request('friends.request', { username: b.username });
  await b.log.wait('friends.requestReceived', (e) => e.from.userId === a.userId);
  await b.client.request('friends.accept', { userId: a.userId });
  await a.log.wait('friends.added', (e) => e.friend.userId === b.userId);
}

/** The error code a request fails with, or 'ok'. */
export const codeOf = (p: Promise<unknown>): Promise<string> =>
  p.then(
    () => 'ok',
    (e: unknown) => (e instanceof ImError ? e.code : String(e)),
  );

/**
 * Polls a condition that no event announces (state inside the server, a dependency coming back).
 * Tests wait on events where there is one; this is for the rest.
 */
export async function waitUntil(
  cond: () => boolean | Promise<boolean>,
  timeoutMs = 5000,
  intervalMs = 10,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await cond())) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

export async function healthStatus(httpUrl: string): Promise<number> {
  const r = await fetch(`${httpUrl}/healthz`);
  await r.arrayBuffer();
  return r.status;
}

/** Sum of a Prometheus counter over its label sets, from /metrics (e.g. errors with code=INTERNAL). */
export async function metricSum(httpUrl: string, name: string, labelFilter = ''): Promise<number> {
  const text = await (await fetch(`${httpUrl}/metrics`)).text();
  let sum = 0;
  for (const line of text.split('\n')) {
    if (!line.startsWith(name)) continue;
    if (labelFilter && !line.includes(labelFilter)) continue;
    const v = Number(line.slice(line.lastIndexOf(' ') + 1));
    if (Number.isFinite(v)) sum += v;
  }
  return sum;
}

/** p-th percentile (0..100) of a list of numbers; NaN when empty. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i]!;
}

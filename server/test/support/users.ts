import type { EventName } from '@imw/shared';
import { type ImClient, ImError } from '@imw/shared/sdk';
import type { ImServer } from '../../src';
import { EventLog } from './events';
import { type ClientOpts, loggedInUser } from './server';

/** A registered, logged-in test user with a log of the events it receives. */
export interface TestUser {
  client: ImClient;
  username: string;
  password: string;
  userId: number;
  log: EventLog;
}

/** The events `befriend` waits for; every log that befriends must record them. */
export const FRIEND_EVENTS = ['friends.requestReceived', 'friends.added'] as const satisfies EventName[];

export async function testUser(
  server: ImServer,
  prefix: string,
  events: readonly EventName[],
  opts: ClientOpts = { heartbeat: true },
): Promise<TestUser> {
  const u = await loggedInUser(server, prefix, opts);
  const log = new EventLog(u.client, [...new Set([...FRIEND_EVENTS, ...events])]);
  return { client: u.client, username: u.username, password: u.password, userId: u.profile.userId, log };
}

/** Makes a and b friends through the real flow (request, notice, accept, notice). */
export async function befriend(a: TestUser, b: TestUser): Promise<void> {
  await a.client.request('friends.request', { username: b.username });
  await b.log.wait('friends.requestReceived', (e) => e.from.userId === a.userId);
  await b.client.request('friends.accept', { userId: a.userId });
  await a.log.wait('friends.added', (e) => e.friend.userId === b.userId);
}

/** 'ok', or the error code a request failed with. */
export const errorCode = (p: Promise<unknown>): Promise<string> =>
  p.then(
    () => 'ok',
    (e: unknown) => (e instanceof ImError ? e.code : String(e)),
  );

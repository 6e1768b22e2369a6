import type { EventBody, EventName } from '@imw/shared';
import { type ImClient, ImError } from '@imw/shared/sdk';
import type { ImServer } from '../../src';
import { EventLog } from './events';
import { type ClientOpts, loggedInUser, newClient, uniqueName } from './server';

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

/**
 * A fresh user logged in in scene mode, returned once the server has put it in `sceneId` (its
 * `scene.changed` is the log's first entry of that kind, and `entered` is its body).
 */
export async function sceneUser(
  server: ImServer,
  prefix: string,
  events: readonly EventName[] = [],
  opts: ClientOpts & { sceneId?: string } = {},
): Promise<TestUser & { entered: EventBody<'scene.changed'> }> {
  const username = uniqueName(prefix);
  const password = `pw-${username}`;
  const client = newClient(server, opts);
  const log = new EventLog(client, [...new Set([...FRIEND_EVENTS, 'scene.changed' as const, ...events])]);
  await client.connect();
  await client.register(username, password);
  const profile = await client.login(username, password, { mode: 'scene', sceneId: opts.sceneId ?? 'plaza' });
  const entered = await log.wait('scene.changed');
  return { client, username, password, userId: profile.userId, log, entered };
}

/** Every event a user may be sent, for tests that assert on any of them (hardening, faults). */
export const ALL_EVENTS = [
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

/** A fresh logged-in user whose log records ALL_EVENTS (no heartbeat unless asked for). */
export const user = (server: ImServer, prefix: string, opts: ClientOpts = {}): Promise<TestUser> =>
  testUser(server, prefix, ALL_EVENTS, opts);

/** Who `befriend` can take: a test user with its event log, or a script's user without one. */
export interface Befriendable {
  client: ImClient;
  username: string;
  userId: number;
  log?: EventLog;
}

/**
 * Makes a and b friends through the real flow (request, notice, accept, notice). Where a user has
 * an event log the notice is awaited; scripts with thousands of users keep no logs, and b's accept
 * is valid as soon as a's request has been answered.
 */
export async function befriend(a: Befriendable, b: Befriendable): Promise<void> {
  await a.client.request('friends.request', { username: b.username });
  await b.log?.wait('friends.requestReceived', (e) => e.from.userId === a.userId);
  await b.client.request('friends.accept', { userId: a.userId });
  await a.log?.wait('friends.added', (e) => e.friend.userId === b.userId);
}

/** 'ok', or the error code a request failed with. */
export const errorCode = (p: Promise<unknown>): Promise<string> =>
  p.then(
    () => 'ok',
    (e: unknown) => (e instanceof ImError ? e.code : String(e)),
  );

import { afterAll, describe, expect, it } from 'vitest';
import type { ImServer } from '../../src';
import { DB_KINDS, testDatabase } from '../support/db';
import { newClient, startTestServer, uniqueName } from '../support/server';
import { errorCode, testUser } from '../support/users';
import { waitFor } from '../support/wait';

/** A gate a slowed call waits at; `reached` resolves when the call arrives there. */
function gate() {
  let open!: () => void;
  let arrived!: () => void;
  const opened = new Promise<void>((r) => {
    open = r;
  });
  const reached = new Promise<void>((r) => {
    arrived = r;
  });
  return { opened, reached, open, arrived };
}

/** Resolves when the server has handled the next socket close. */
function nextSocketClose(server: ImServer): Promise<void> {
  const p = server.presence;
  const orig = p.socketClosed.bind(p);
  return new Promise((r) => {
    p.socketClosed = (id, code) => {
      p.socketClosed = orig;
      orig(id, code);
      r();
    };
  });
}

/**
 * R-SEC-35 (security review L6): a socket that closes while its login or resume waits on the
 * database leaves no session bound to it: nothing would ever detach it, and friends would see a
 * ghost online for good. The database wait is simulated by holding the call at a gate.
 */
describe.each(DB_KINDS)('no ghost sessions (%s)', (kind) => {
  const open: Array<{ close(): Promise<void> }> = [];
  afterAll(async () => {
    for (const x of open.reverse()) await x.close();
  });
  const start = async () => {
    const db = await testDatabase(kind);
    open.push(db);
    const server = await startTestServer(db, { RESUME_GRACE_MS: 1500 });
    open.push(server);
    return server;
  };

  it('R-SEC-35: a resume whose socket closes during the revocation check leaves the session to its grace', async () => {
    const server = await start();
    const u = await testUser(server, 'ghr', []);
    const creds = u.client.credentials!;
    const closedFirst = nextSocketClose(server);
    u.client.close(4999, 'network gone');
    await closedFirst;
    const g = gate();
    const orig = server.presence.isRevoked.bind(server.presence);
    server.presence.isRevoked = async (id) => {
      g.arrived();
      await g.opened;
      return orig(id);
    };
    const c = newClient(server);
    await c.connect();
    const outcome = errorCode(c.resume(creds));
    await g.reached;
    expect(server.presence.table.bySessionId(creds.sessionId)).toBeDefined();
    const closed = nextSocketClose(server);
    c.close(4999, 'network gone again');
    await closed;
    g.open();
    await outcome;
    // Without the check the session was re-attached to the dead socket and never ended.
    await waitFor(
      'the session to end after its grace',
      () => !server.presence.table.bySessionId(creds.sessionId),
      {
        timeoutMs: 10_000,
      },
    );
  });

  it('R-SEC-35: a login whose socket closes while presence records it leaves no session', async () => {
    const server = await start();
    const name = uniqueName('ghl');
    const setup = newClient(server);
    await setup.connect();
    await setup.register(name, `pw-${name}`);
    const sessionOf = () => server.presence.localSessions().find((s) => s.username === name);
    setup.close();
    const g = gate();
    const orig = server.presence.login.bind(server.presence);
    let recordedDone!: () => void;
    const recorded = new Promise<void>((r) => {
      recordedDone = r;
    });
    server.presence.login = async (...args) => {
      g.arrived();
      await g.opened;
      return orig(...args).finally(recordedDone);
    };
    const c = newClient(server);
    await c.connect();
    const outcome = errorCode(c.login(name, `pw-${name}`));
    await g.reached;
    const closed = nextSocketClose(server);
    c.close(4999, 'network gone');
    await closed;
    g.open();
    await outcome;
    // The session is recorded after the socket has closed…
    await recorded;
    // …and must not stay bound to it.
    await waitFor('no session of the user', () => !sessionOf(), { timeoutMs: 10_000 });
  });

  it('R-SEC-35: the periodic check detaches a session bound to a socket the gateway does not have', async () => {
    const server = await start();
    const u = await testUser(server, 'ghp', []);
    const s = server.presence.table.ofUser(u.userId)[0]!;
    // As if the bind had happened after the close: the table points at a socket that is gone.
    server.presence.table.attach(s, 'no-such-socket');
    await waitFor('the ghost to be detached', () => s.link.state === 'detached', { timeoutMs: 5_000 });
    u.client.close();
  });
});

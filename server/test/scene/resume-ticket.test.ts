import { ErrorCode } from '@imw/shared';
import type { ResumeCredentials } from '@imw/shared/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ImServer } from '../../src';
import type { Database } from '../../src/db';
import { testDatabase } from '../support/db';
import { EventLog } from '../support/events';
import { newClient, nextEvent, startTestServer } from '../support/server';
import { errorCode, sceneUser } from '../support/users';

/**
 * R-RES-5: a resume ticket names the scene; when the scene changes the server hands the client a
 * fresh ticket (`session.ticket`), so a session re-created after a crash or restart puts the user
 * back in the scene they were in, not the one they logged in to.
 */
describe('scene changes renew the resume ticket', () => {
  let db: Database;
  const servers: ImServer[] = [];
  const start = async () => {
    const s = await startTestServer(db);
    servers.push(s);
    return s;
  };
  beforeAll(async () => {
    db = await testDatabase('pglite');
  });
  afterAll(async () => {
    for (const s of servers) await s.close();
    await db?.close();
  });

  /** Resumes on `server` (which must re-create the session) and says which scene it lands in. */
  async function landsIn(server: ImServer, creds: ResumeCredentials): Promise<string> {
    const c = newClient(server);
    const log = new EventLog(c, ['scene.changed']);
    await c.connect();
    expect((await c.resume(creds)).seamless).toBe(false);
    const entered = await log.wait('scene.changed');
    c.close(4999, 'server going away');
    return entered.sceneId;
  }

  it('R-RES-5: after a join elsewhere the client holds a ticket for the new scene; a re-created session lands there', async () => {
    const first = await start();
    const { client: c, log } = await sceneUser(first, 'rt', ['session.ticket']);
    const atLogin = c.credentials!;
    // Entering the scene named at login renewed nothing.
    expect(log.of('session.ticket')).toEqual([]);

    const renewed = nextEvent<ResumeCredentials>((fn) => c.on('credentials', fn));
    await c.request('scene.join', { sceneId: 'park' });
    const inPark = await renewed;
    expect(inPark.sessionId).toBe(atLogin.sessionId);
    expect(inPark.resumeKey).toBe(atLogin.resumeKey);
    expect(inPark.resumeToken).not.toBe(atLogin.resumeToken);
    c.close(4999, 'server going away');
    await first.close();

    // The login-time ticket is an older generation: void (R-SEC-30)…
    const second = await start();
    const stale = newClient(second);
    await stale.connect();
    expect(await errorCode(stale.resume(atLogin))).toBe(ErrorCode.AUTH_FAILED);
    stale.close();
    await second.close();
    // …the renewed one names the park.
    const third = await start();
    expect(await landsIn(third, inPark)).toBe('park');
  });
});

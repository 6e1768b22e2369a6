import { ErrorCode } from '@imw/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ImServer } from '../../src';
import type { Database } from '../../src/db';
import { testDatabase } from '../support/db';
import { newClient, startTestServer, uniqueName } from '../support/server';
import { errorCode, sceneUser } from '../support/users';

/**
 * M6 of the December review: an invisible user was put in the world like anyone else, so every
 * stranger in view got its user id, name and position. R-SEC-24: no way into a world while
 * invisible, and no turning invisible while in one.
 */
describe('invisible users and the world (R-SEC-24)', () => {
  let db: Database;
  let server: ImServer;
  beforeAll(async () => {
    db = await testDatabase('pglite');
    server = await startTestServer(db, { RESUME_GRACE_MS: 0 });
  });
  afterAll(async () => {
    await server?.close();
    await db?.close();
  });

  async function registered(prefix: string) {
    const username = uniqueName(prefix);
    const password = `pw-${username}`;
    const client = newClient(server);
    await client.connect();
    await client.register(username, password);
    return { client, username, password };
  }

  it('R-SEC-24: a scene login that names a scene while invisible is refused with FORBIDDEN; nobody in the scene sees it', async () => {
    const watcher = await sceneUser(server, 'm6w', ['scene.view']);
    const u = await registered('m6a');
    const code = await errorCode(
      u.client.login(u.username, u.password, { mode: 'scene', sceneId: 'plaza', status: 'invisible' }),
    );
    expect(code).toBe(ErrorCode.FORBIDDEN);
    // The same user may go in as online: the refusal was about the status only.
    await u.client.login(u.username, u.password, { mode: 'scene', sceneId: 'plaza' });
    const view = await watcher.log.wait('scene.view', (v) => v.enters.length > 0);
    expect(view.enters.map((e) => e.displayName)).toEqual([u.username]);
    watcher.client.close();
    u.client.close();
  });

  it('R-SEC-24: scene.join while invisible is refused with FORBIDDEN', async () => {
    const u = await registered('m6j');
    await u.client.login(u.username, u.password, { mode: 'scene', status: 'invisible' });
    expect(await errorCode(u.client.request('scene.join', { sceneId: 'plaza' }))).toBe(ErrorCode.FORBIDDEN);
    u.client.close();
  });

  it('R-SEC-24: turning invisible while in the world is refused; after scene.leave it is allowed, and scene.join then is not', async () => {
    const u = await sceneUser(server, 'm6s');
    expect(await errorCode(u.client.request('presence.setStatus', { status: 'invisible' }))).toBe(
      ErrorCode.FORBIDDEN,
    );
    await u.client.request('scene.leave', {});
    await u.client.request('presence.setStatus', { status: 'invisible' });
    expect(await errorCode(u.client.request('scene.join', { sceneId: 'plaza' }))).toBe(ErrorCode.FORBIDDEN);
    u.client.close();
  });
});

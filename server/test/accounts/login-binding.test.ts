import { decodeRecords, ErrorCode, encodePlainFrame, pack, readHeader, requests, unpack } from '@imw/shared';
import type { SocketFactory } from '@imw/shared/sdk';
import { nodeSocketFactory } from '@imw/shared/sdk/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ImServer } from '../../src';
import type { Database } from '../../src/db';
import { testDatabase } from '../support/db';
import { newClient, startTestServer, uniqueName } from '../support/server';
import { errorCode } from '../support/users';

/** A socket factory that rewrites the plaintext auth.login record's fields on the way out. */
function rewriting(patch: Record<string, unknown>, seen: { rewrote: boolean }): SocketFactory {
  const loginId = requests['auth.login'].id;
  const rewrite = (frame: Uint8Array): Uint8Array => {
    const { version, encrypted, body } = readHeader(frame);
    if (encrypted) return frame;
    const records = decodeRecords(body);
    if (!records.some((r) => r.typeId === loginId)) return frame;
    seen.rewrote = true;
    return encodePlainFrame(
      version,
      records.map((r) =>
        r.typeId === loginId ? { ...r, payload: pack({ ...(unpack(r.payload) as object), ...patch }) } : r,
      ),
    );
  };
  return (url) => {
    const ws = nodeSocketFactory(url);
    const send = ws.send.bind(ws);
    ws.send = (frame: Uint8Array) => send(rewrite(frame));
    return ws;
  };
}

/**
 * R-SEC-33 (security review L5): every parameter of auth.login is covered by the SCRAM proof, as
 * the status already was (R-PRS-3): a man in the middle cannot turn a chat login into a scene
 * login (which shows the user in the world) or move it to another scene.
 */
describe('R-SEC-33: the login proof binds mode and scene', () => {
  let db: Database;
  let server: ImServer;
  let username: string;
  beforeAll(async () => {
    db = await testDatabase();
    server = await startTestServer(db);
    username = uniqueName('bind');
    const setup = newClient(server);
    await setup.connect();
    await setup.register(username, `pw-${username}`);
    setup.close();
  });
  afterAll(async () => {
    await server.close();
    await db.close();
  });

  const attempt = async (
    patch: Record<string, unknown>,
    opts: Parameters<ReturnType<typeof newClient>['login']>[2],
  ) => {
    const seen = { rewrote: false };
    const c = newClient(server, { socketFactory: rewriting(patch, seen) });
    await c.connect();
    const outcome = await errorCode(c.login(username, `pw-${username}`, opts));
    c.close();
    expect(seen.rewrote).toBe(true);
    return outcome;
  };

  it('R-SEC-33: a chat login rewritten to a scene login fails the proof (AUTH_FAILED)', async () => {
    expect(await attempt({ mode: 'scene', sceneId: 'plaza' }, { status: 'invisible' })).toBe(
      ErrorCode.AUTH_FAILED,
    );
  });

  it('R-SEC-33: a scene login moved to another scene fails the proof (AUTH_FAILED)', async () => {
    expect(await attempt({ sceneId: 'park' }, { mode: 'scene', sceneId: 'plaza' })).toBe(
      ErrorCode.AUTH_FAILED,
    );
  });

  it('R-SEC-33: the control — an untouched scene login succeeds', async () => {
    expect(await attempt({}, { mode: 'scene', sceneId: 'plaza' })).toBe('ok');
  });
});

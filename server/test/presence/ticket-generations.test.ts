import { randomBytes } from 'node:crypto';
import { ErrorCode } from '@imw/shared';
import type { ResumeCredentials } from '@imw/shared/sdk';
import { afterAll, describe, expect, it } from 'vitest';
import type { ImServer } from '../../src';
import { DB_KINDS, testDatabase } from '../support/db';
import { newClient, startTestServer } from '../support/server';
import { errorCode, testUser } from '../support/users';

/**
 * R-SEC-30 (security review M1): a resume ticket is good for one resume. Each resume and each
 * password change moves the session to a new ticket generation; every older ticket is void, on
 * this node and on any other (the used generations are kept in the database).
 */
describe.each(DB_KINDS)('only the newest resume ticket works (%s)', (kind) => {
  const open: Array<{ close(): Promise<void> }> = [];
  afterAll(async () => {
    for (const x of open.reverse()) await x.close();
  });
  const resumeOn = async (node: ImServer, creds: ResumeCredentials) => {
    const c = newClient(node);
    await c.connect();
    open.push({ close: async () => c.close() });
    return { c, code: await errorCode(c.resume(creds)) };
  };

  it("R-SEC-30: the review's probe — log in, resume, change the password, resume with the first ticket", async () => {
    const db = await testDatabase(kind);
    open.push(db);
    const server = await startTestServer(db);
    open.push(server);
    const u = await testUser(server, 'm1', []);
    const first = u.client.credentials!;
    u.client.close(4999, 'network gone');
    const back = await resumeOn(server, first);
    expect(back.code).toBe('ok');
    const second = back.c.credentials!;
    expect(second.resumeToken).not.toBe(first.resumeToken);
    // Replaying the first ticket right after the rotation is refused too.
    expect((await resumeOn(server, first)).code).toBe(ErrorCode.AUTH_FAILED);

    // The password change hands the session a new ticket; the one held before is void.
    const renewed = new Promise<ResumeCredentials>((r) => back.c.on('credentials', r));
    await back.c.changePassword(u.password, 'a-new-password');
    const third = await renewed;
    expect(third.resumeToken).not.toBe(second.resumeToken);
    expect((await resumeOn(server, first)).code).toBe(ErrorCode.AUTH_FAILED);
    expect((await resumeOn(server, second)).code).toBe(ErrorCode.AUTH_FAILED);
    // The owner is still connected and its newest ticket still resumes.
    back.c.close(4999, 'network gone');
    expect((await resumeOn(server, third)).code).toBe('ok');
  }, 90_000);

  it('R-SEC-30: after a restart, a ticket already used once does not re-create the session', async () => {
    const db = await testDatabase(kind);
    open.push(db);
    const first = await startTestServer(db);
    const u = await testUser(first, 'm1r', []);
    const t1 = u.client.credentials!;
    u.client.close(4999, 'network gone');
    const back = await resumeOn(first, t1);
    expect(back.code).toBe('ok');
    const t2 = back.c.credentials!;
    back.c.close(4999, 'network gone');
    await first.close();
    const second = await startTestServer(db, {
      REDIS_KEY_PREFIX: `imwt:${randomBytes(4).toString('hex')}:`,
    });
    open.push(second);
    expect((await resumeOn(second, t1)).code).toBe(ErrorCode.AUTH_FAILED);
    expect((await resumeOn(second, t2)).code).toBe('ok');
  }, 90_000);
});

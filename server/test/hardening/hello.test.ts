import { CHAT_TEXT_CEILING_CHARS, ErrorCode } from '@imw/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ImServer } from '../../src';
import { configSchema } from '../../src/core/config';
import type { Database } from '../../src/db';
import { testDatabase } from '../support/db';
import { newClient, startTestServer } from '../support/server';
import { befriend, errorCode, testUser } from '../support/users';

describe('R-HELLO-1: sys.hello announces the limits a client would otherwise hard-code', () => {
  let db: Database;
  let server: ImServer;
  const limits = {
    CHAT_MAX_TEXT_CHARS: 123,
    CHAT_RATE_PER_SEC: 7,
    CHAT_BURST: 11,
    PRE_LOGIN_DEADLINE_MS: 12_345,
  };

  beforeAll(async () => {
    db = await testDatabase('pglite');
    server = await startTestServer(db, limits);
  });
  afterAll(async () => {
    await server?.close();
    await db?.close();
  });

  it('the SDK exposes what the operator configured, before login', async () => {
    const client = newClient(server);
    expect(client.limits).toBeNull();
    const hello = await client.connect();
    const expected = { chatMaxTextChars: 123, chatPerSec: 7, chatBurst: 11, preLoginDeadlineMs: 12_345 };
    expect(hello.limits).toEqual(expected);
    expect(client.limits).toEqual(expected);
    client.close();
  });

  it('the announced text length is the one enforced: at it is accepted, one over is BAD_REQUEST', async () => {
    const a = await testUser(server, 'ha', []);
    const b = await testUser(server, 'hb', []);
    await befriend(a, b);
    const max = a.client.limits!.chatMaxTextChars;
    expect(await errorCode(a.client.request('chat.send', { to: b.userId, text: 'x'.repeat(max) }))).toBe(
      'ok',
    );
    expect(await errorCode(a.client.request('chat.send', { to: b.userId, text: 'x'.repeat(max + 1) }))).toBe(
      ErrorCode.BAD_REQUEST,
    );
    a.client.close();
    b.client.close();
  });

  it('the operator limit cannot exceed the wire ceiling of the packet schema', () => {
    const setting = configSchema.shape.CHAT_MAX_TEXT_CHARS;
    expect(setting.safeParse(String(CHAT_TEXT_CEILING_CHARS)).success).toBe(true);
    expect(setting.safeParse(String(CHAT_TEXT_CEILING_CHARS + 1)).success).toBe(false);
  });
});

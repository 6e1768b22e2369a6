import type { ImClient } from '@imw/shared/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ImServer } from '../../src';
import type { Database } from '../../src/db';
import { testDatabase } from '../support/db';
import { startTestServer } from '../support/server';
import { befriend, type TestUser, testUser } from '../support/users';

const EVENTS = ['chat.message', 'rtc.signal'] as const;

/**
 * R-SEC-5 (review L3): the sender's ack must not wait for work done for the recipient, or its
 * latency tells an invisible-online friend from an offline one. Timing is what leaks, but timing
 * on a shared two-core machine is too noisy to assert; the cause is order. So the test records the
 * order in which the gateway hands frames to the two sockets: the ack goes out first.
 */
describe('R-SEC-5: the sender is answered before the recipient is served', () => {
  let db: Database;
  let server: ImServer;
  beforeAll(async () => {
    db = await testDatabase('pglite');
    server = await startTestServer(db);
  });
  afterAll(async () => {
    await server?.close();
    await db?.close();
  });

  /** Records which socket each frame the gateway writes goes to, from now on. */
  function recordWrites(users: Record<string, TestUser>): string[] {
    const writes: string[] = [];
    for (const [name, u] of Object.entries(users)) {
      const st = u.client.state;
      if (st.status !== 'authenticated') throw new Error(`${name} is not logged in`);
      const port = server.gateway.connection(st.socketId)?.port;
      if (!port) throw new Error(`no connection for ${name}`);
      const send = port.send.bind(port);
      port.send = (frame) => {
        writes.push(name);
        send(frame);
      };
    }
    return writes;
  }

  async function pair(): Promise<{ sender: TestUser; friend: TestUser }> {
    // No heartbeats: their answers would be writes of their own in the recorded order.
    const sender = await testUser(server, 'ao', EVENTS, { heartbeat: false });
    const friend = await testUser(server, 'ai', EVENTS, { heartbeat: false });
    await befriend(sender, friend);
    await friend.client.request('presence.setStatus', { status: 'invisible' });
    return { sender, friend };
  }

  const close = (...cs: ImClient[]) => {
    for (const c of cs) c.close();
  };

  it('R-SEC-5: chat.send to an invisible-online friend: the ack frame is written before the message frame', async () => {
    const { sender, friend } = await pair();
    const writes = recordWrites({ sender, friend });
    for (let i = 0; i < 5; i++) {
      await sender.client.request('chat.send', { to: friend.userId, text: `m${i}` });
      await friend.log.wait('chat.message', (m) => m.text === `m${i}`);
    }
    expect(writes).toEqual(Array.from({ length: 5 }, () => ['sender', 'friend']).flat());
    close(sender.client, friend.client);
  });

  it('R-SEC-5: rtc.signal to an invisible-online friend: the ack frame is written before the relayed signal', async () => {
    const { sender, friend } = await pair();
    const writes = recordWrites({ sender, friend });
    await sender.client.request('rtc.signal', { to: friend.userId, callId: 'call-1', kind: 'hangup' });
    await friend.log.wait('rtc.signal', (s) => s.callId === 'call-1');
    expect(writes).toEqual(['sender', 'friend']);
    close(sender.client, friend.client);
  });
});

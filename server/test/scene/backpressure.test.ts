import type { ImClient } from '@imw/shared/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ImServer } from '../../src';
import type { Database } from '../../src/db';
import { testDatabase } from '../support/db';
import { capturingSocketFactory, pauseReading } from '../support/secure';
import { startTestServer } from '../support/server';
import { befriend, sceneUser, testUser } from '../support/users';

const HOLD_BYTES = 16 * 1024;

/**
 * R-LIM-15, the slow-reader policy for scenes: once a reader has more than
 * SCENE_HOLD_BACKPRESSURE_BYTES queued, its scene updates are held back and merged (superseded
 * positions dropped) while its chat still goes out; when it catches up it gets one batch that
 * leaves its view exact. (The close of a reader that cannot take chat is R-LIM-10.)
 */
describe('scene updates for a slow reader', () => {
  let db: Database;
  let server: ImServer;
  const clients: ImClient[] = [];

  beforeAll(async () => {
    db = await testDatabase('pglite');
    server = await startTestServer(db, {
      SCENE_HOLD_BACKPRESSURE_BYTES: HOLD_BYTES,
      MAX_BACKPRESSURE_BYTES: 256 * 1024 * 1024,
      CHAT_MAX_TEXT_CHARS: 10_000,
      CHAT_RATE_PER_SEC: 0,
      REQUESTS_PER_SEC: 0,
    });
  });
  afterAll(async () => {
    for (const c of clients) c.close();
    await server?.close();
    await db?.close();
  });

  const EVENTS = ['scene.view', 'chat.message'] as const;
  const track = <T extends { client: ImClient }>(u: T): T => {
    clients.push(u.client);
    return u;
  };

  it('R-LIM-15: past SCENE_HOLD_BACKPRESSURE_BYTES scene updates are held and merged; chat still arrives; the view ends exact', async () => {
    const cap = capturingSocketFactory();
    const slow = track(await sceneUser(server, 'sl', EVENTS, { socketFactory: cap.factory }));
    const walker = track(await sceneUser(server, 'wk', EVENTS));
    const observer = track(await sceneUser(server, 'ob', EVENTS));
    const friend = track(await testUser(server, 'fr', EVENTS));
    await befriend(friend, slow);
    // All three stand at the plaza's default spawn, in each other's view.
    const here = walker.entered.self;
    const socketId = slow.client.state.status === 'authenticated' ? slow.client.state.socketId : '';

    // Stop reading, then fill the server's queue for it with chat past the hold mark.
    pauseReading(cap.sockets[0]!);
    const text = 'c'.repeat(10_000);
    let sent = 0;
    while (server.gateway.bufferedAmount(socketId) <= HOLD_BYTES && sent < 2000) {
      await Promise.all(
        Array.from({ length: 20 }, () => friend.client.request('chat.send', { to: slow.userId, text })),
      );
      sent += 20;
    }
    expect(server.gateway.bufferedAmount(socketId)).toBeGreaterThan(HOLD_BYTES);

    // The walker takes small sub-pixel steps; the observer sees each one in its own tick.
    const steps = Array.from({ length: 8 }, (_, i) => here.x + 0.5 * (i + 1));
    let seq = 10;
    for (const x of steps) {
      const r = await walker.client.request('scene.move', { x, y: here.y, seq: ++seq });
      expect(r.accepted).toBe(true);
      await observer.log.wait('scene.view', (v) => v.moves.some((m) => m.id === walker.userId && m.x === x));
    }
    expect(server.gateway.connection(socketId)).toBeDefined();

    // Reading again: every chat message arrives, then one merged view with the last position.
    pauseReading(cap.sockets[0]!, false);
    await slow.log.wait('chat.message', () => slow.log.of('chat.message').length === sent, 20_000);
    const last = steps[steps.length - 1]!;
    await slow.log.wait(
      'scene.view',
      (v) => v.moves.some((m) => m.id === walker.userId && m.x === last),
      10_000,
    );
    const seenSteps = slow.log
      .of('scene.view')
      .flatMap((v) => v.moves.filter((m) => m.id === walker.userId && steps.includes(m.x)).map((m) => m.x));
    expect(seenSteps).toEqual([last]);
  });
});

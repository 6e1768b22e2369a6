import { ErrorCode } from '@imw/shared';
import { type ImClient, ImError } from '@imw/shared/sdk';
import { afterAll, beforeAll, describe, expect, it, test } from 'vitest';
import { type ImServer, ManualClock } from '../../src';
import type { Database } from '../../src/db';
import { loadMap, SceneWorld } from '../../src/scene/index';
import { SILENT_ZONE } from '../../src/scene/service';
import { testDatabase } from '../support/db';
import { EventLog } from '../support/events';
import { newClient, startTestServer, uniqueName } from '../support/server';
import { area, objects, wa } from './fixtures';

describe('R-MAP-8: in a silent zone no scene chat is heard (the world)', () => {
  // Two shapes of one room "Hall": the small one is silent. Same sub-area, so only the silent
  // flag can keep the speech out.
  const map = loadMap(
    wa(['S.......', '........'], {
      layers: [
        objects(area(1, 'Hall', [0, 0, 256, 64]), area(2, 'Hall', [192, 0, 64, 64], { silent: true })),
      ],
    }),
    'hall',
  );

  test('a listener in the silent part of the same room hears nothing; one outside it hears', () => {
    const w = new SceneWorld(map);
    for (const id of [1, 2, 3]) w.join(id, `u${id}`);
    let now = 0;
    const walkTo = (id: number, x: number) => {
      for (let step = 16; step <= x - 16; step += 16) {
        now += 1000;
        expect(w.move(id, Math.min(step + 16, x), 16, now).ok).toBe(true);
      }
    };
    walkTo(2, 208); // into the silent part
    walkTo(3, 112);
    expect(w.get(2)!.area).toBe('Hall');
    expect(w.get(3)!.area).toBe('Hall');
    expect(w.isSilent(2)).toBe(true);
    expect(w.isSilent(1)).toBe(false);
    expect(w.chatRecipients(1).sort()).toEqual([3]);
    expect(w.chatRecipients(2)).toEqual([]); // the service refuses before asking
  });
});

describe('R-MAP-8: scene chat in a silent zone, over real sockets (the office)', () => {
  let db: Database;
  let server: ImServer;
  const clock = new ManualClock();
  const clients: ImClient[] = [];

  interface Walker {
    client: ImClient;
    log: EventLog;
    pos: { x: number; y: number };
    seq: number;
  }

  beforeAll(async () => {
    db = await testDatabase('pglite');
    server = await startTestServer(
      db,
      { HEARTBEAT_TIMEOUT_MS: 3_600_000, PRE_LOGIN_DEADLINE_MS: 3_600_000 },
      clock,
    );
  });
  afterAll(async () => {
    await Promise.all(clients.map((c) => c.logout().catch(() => undefined)));
    await server?.close();
    await db?.close();
  });

  async function enter(prefix: string): Promise<Walker> {
    const username = uniqueName(prefix);
    const client = newClient(server);
    clients.push(client);
    await client.connect();
    await client.register(username, `pw-${username}`);
    const log = new EventLog(client, ['scene.changed', 'scene.chat']);
    await client.login(username, `pw-${username}`, { mode: 'scene', sceneId: 'office' });
    const entry = await log.wait('scene.changed');
    return { client, log, pos: { x: entry.self.x, y: entry.self.y }, seq: 0 };
  }

  /** Along a row, in 32 px steps at the map's speed (240 px/s). */
  async function walkX(w: Walker, x: number): Promise<void> {
    while (w.pos.x !== x) {
      const next = w.pos.x + Math.sign(x - w.pos.x) * Math.min(32, Math.abs(x - w.pos.x));
      clock.advance(200);
      const r = await w.client.request('scene.move', { x: next, y: w.pos.y, seq: ++w.seq });
      expect(r.accepted, `step to ${next}`).toBe(true);
      w.pos = { x: next, y: w.pos.y };
    }
  }

  it('is refused with FORBIDDEN and reaches nobody; outside it chat works as before', async () => {
    // Office spawn: tile (14, 15), the open space. The quiet corner is tiles 2-7 on rows 13-17.
    const inside = await enter('quiet');
    const alsoInside = await enter('quiet2');
    const outside = await enter('open');
    const near = await enter('near');
    await walkX(inside, 144);
    await walkX(alsoInside, 208);
    await walkX(outside, 272); // tile 8: just outside the corner, 64 px from alsoInside
    await walkX(near, 336);

    const refused = await inside.client.request('scene.chat', { text: 'hello?' }).then(
      () => null,
      (e: unknown) => e,
    );
    expect(refused).toBeInstanceOf(ImError);
    expect((refused as ImError).code).toBe(ErrorCode.FORBIDDEN);
    expect((refused as ImError).message).toContain(SILENT_ZONE);

    await outside.client.request('scene.chat', { text: 'anyone there?' });
    await near.log.wait('scene.chat', (c) => c.text === 'anyone there?');
    // Delivery is immediate: a heartbeat round trip drains each socket.
    await Promise.all([inside, alsoInside].map((w) => w.client.request('sys.heartbeat', {})));
    expect(inside.log.of('scene.chat')).toEqual([]);
    expect(alsoInside.log.of('scene.chat')).toEqual([]);
    expect(near.log.of('scene.chat').map((c) => c.text)).toEqual(['anyone there?']);
  });
});

import type { ImClient } from '@imw/shared/sdk';
import type { Page } from '@playwright/test';
import { expect, test } from './fixtures';
import { createUser, openAs, sdkClient } from './helpers';
import { walk } from './world-helpers';

/**
 * Plaza (server/maps/plaza.tmj): 32 px tiles, view radius 320 px, hearing radius 192 px, default
 * spawn (976, 656) on the east-west road (row 20, free from x = 64 to 1856). The Cafe is the room
 * x 128–512, y 128–448, with its door at tiles (9–10, 14), i.e. x 288–352, y 448–480 (outside the room).
 */
const SPAWN = { x: 976, y: 656 };

const names = (page: Page) => page.evaluate(() => window.__imw?.players().map((p) => p.name) ?? []);
const self = (page: Page) => page.evaluate(() => window.__imw?.self() ?? { x: -1, y: -1 });
const bubbles = (page: Page) => page.evaluate(() => window.__imw?.bubbles().map((b) => b.text) ?? []);

/** Moves an SDK bot in steps under the server's speed limit. */
async function botWalk(c: ImClient, path: { x: number; y: number }[], seq: { n: number }): Promise<void> {
  for (let i = 1; i < path.length; i++) {
    const from = path[i - 1]!;
    const to = path[i]!;
    const steps = Math.ceil(Math.hypot(to.x - from.x, to.y - from.y) / 16);
    for (let s = 1; s <= steps; s++) {
      const x = from.x + ((to.x - from.x) * s) / steps;
      const y = from.y + ((to.y - from.y) * s) / steps;
      const r = await c.request('scene.move', { x, y, seq: seq.n++ });
      if (!r.accepted) throw new Error(`move to ${x},${y} refused; server has ${r.x},${r.y}`);
      await new Promise((done) => setTimeout(done, 80));
    }
  }
}

test('world: players appear in view range, vanish out of it; bubbles only in hearing range and the same room', async ({
  browser,
  server,
}) => {
  const [alice, bob, carol] = await Promise.all([
    createUser(server, 'alice'),
    createUser(server, 'bob'),
    createUser(server, 'carol'),
  ]);
  const [a, b] = await Promise.all([
    openAs(browser, server, alice, { mode: 'World', map: 'Plaza' }),
    openAs(browser, server, bob, { mode: 'World', map: 'Plaza' }),
  ]);
  await expect(a.page.getByText('Room: Outside')).toBeVisible();

  // Both spawned at the same point: each sees the other. (The server is shared by the worker's
  // tests, so someone else may linger in the plaza: assert about these users only.)
  await expect.poll(() => names(a.page)).toContain(bob.username);
  await expect.poll(() => names(b.page)).toContain(alice.username);
  expect(await self(a.page)).toEqual(SPAWN);

  // Alice walks west until she is out of view range (320 px): both lose sight of each other.
  await a.page.getByLabel(/^Map of Plaza/).focus();
  await walk(a.page, 'ArrowLeft', 'x', '<', SPAWN.x - 340);
  await expect.poll(() => names(b.page)).not.toContain(alice.username);
  await expect.poll(() => names(a.page)).not.toContain(bob.username);
  expect((await self(a.page)).y).toBe(SPAWN.y);

  // Back east: she reappears for Bob once within range, and Bob sees her where she is.
  await walk(a.page, 'ArrowRight', 'x', '>', SPAWN.x - 290);
  await expect.poll(() => names(b.page)).toContain(alice.username);
  const at = await self(a.page);
  // Once her last move has arrived and the glide has finished, he draws her exactly there.
  await expect
    .poll(async () => {
      const seen = await b.page.evaluate(
        (id) => window.__imw?.players().find((p) => p.name === id),
        alice.username,
      );
      return Math.abs((seen?.x ?? 0) - at.x);
    })
    .toBeLessThan(0.5);

  // In view but out of hearing range (192 px): Bob does not hear her.
  expect(SPAWN.x - at.x).toBeGreaterThan(200);
  await a.page.getByLabel('Say').fill('Can you hear me?');
  await a.page.getByLabel('Say').press('Enter');
  await expect.poll(() => bubbles(a.page)).toContain('Can you hear me?');

  // Within hearing range he does, in a bubble over her head and in the nearby chat.
  await a.page.getByLabel(/^Map of Plaza/).focus();
  await walk(a.page, 'ArrowRight', 'x', '>', SPAWN.x - 150);
  await a.page.getByLabel('Say').fill('Now you can');
  await a.page.getByLabel('Say').press('Enter');
  await expect.poll(() => bubbles(b.page)).toContain('Now you can');
  expect(await bubbles(b.page)).not.toContain('Can you hear me?');
  await expect(b.page.getByRole('log', { name: 'Nearby chat' })).toContainText('Now you can');
  await expect(b.page.getByRole('log', { name: 'Nearby chat' })).not.toContainText('Can you hear me?');

  // Rooms: Carol (an SDK client) is inside the Cafe by its door; Alice stands just outside it.
  const c = sdkClient(server);
  await c.connect();
  await c.login(carol.username, carol.password, { mode: 'scene', sceneId: 'plaza' });
  const joined = await c.request('scene.join', { sceneId: 'plaza', spawn: 'cafe' });
  expect(joined.self.area).toBe('Cafe');
  const seq = { n: 0 };
  await botWalk(c, [joined.self, { x: 320, y: 432 }], seq);

  await a.page.getByLabel(/^Map of Plaza/).focus();
  await walk(a.page, 'ArrowLeft', 'x', '<', 336);
  await walk(a.page, 'ArrowUp', 'y', '<', 512);
  const outside = await self(a.page);
  expect(Math.hypot(outside.x - 320, outside.y - 432)).toBeLessThan(192);
  await expect(a.page.getByText('Room: Outside')).toBeVisible();

  // Close by, but in another room: Alice neither sees nor hears Carol.
  await c.request('scene.chat', { text: 'Inside the cafe' });
  await expect.poll(() => names(a.page)).not.toContain(carol.username);

  // Carol steps out of the door: now they share the outside, and Alice hears her.
  await botWalk(
    c,
    [
      { x: 320, y: 432 },
      { x: 320, y: 470 },
    ],
    seq,
  );
  await expect.poll(() => names(a.page)).toContain(carol.username);
  await c.request('scene.chat', { text: 'Outside now' });
  await expect(a.page.getByRole('log', { name: 'Nearby chat' })).toContainText('Outside now');
  await expect(a.page.getByRole('log', { name: 'Nearby chat' })).not.toContainText('Inside the cafe');
  c.close();

  // Alice walks into the Cafe herself: the room name follows her.
  await a.page.getByLabel(/^Map of Plaza/).focus();
  await walk(a.page, 'ArrowUp', 'y', '<', 420);
  await expect(a.page.getByText('Room: Cafe')).toBeVisible();

  // Drawing pauses while the tab is hidden and resumes when it is shown again.
  const setHidden = (hidden: boolean) =>
    a.page.evaluate((h) => {
      Object.defineProperty(document, 'visibilityState', {
        configurable: true,
        get: () => (h ? 'hidden' : 'visible'),
      });
      document.dispatchEvent(new Event('visibilitychange'));
    }, hidden);
  const rendering = () => a.page.evaluate(() => window.__imw?.rendering());
  await expect.poll(rendering).toBe(true);
  await setHidden(true);
  await expect.poll(rendering).toBe(false);
  await setHidden(false);
  await expect.poll(rendering).toBe(true);

  await Promise.all([a.context.close(), b.context.close()]);
});

test('world: through the portal to the park; a reload comes back to the park, not the login map', async ({
  browser,
  server,
}) => {
  const walker = await createUser(server, 'portal');
  const { context, page } = await openAs(browser, server, walker, { mode: 'World', map: 'Plaza' });
  await expect(page.getByText('Room: Outside')).toBeVisible();
  // The portal "to park" covers x 1824–1888 on the road the default spawn stands on.
  await page.getByLabel(/^Map of Plaza/).focus();
  await page.keyboard.down('ArrowRight');
  try {
    await expect(page.getByLabel(/^Map of Park/)).toBeVisible({ timeout: 20_000 });
  } finally {
    await page.keyboard.up('ArrowRight');
  }
  await expect
    .poll(() => page.evaluate(() => sessionStorage.getItem('imw.session')))
    .toContain('"sceneId":"park"');
  await page.reload();
  await expect(page.getByRole('status')).toHaveText('Connected');
  await expect(page.getByLabel(/^Map of Park/)).toBeVisible();
  await expect(page.getByLabel(/^Map of Plaza/)).toHaveCount(0);
  await context.close();
});

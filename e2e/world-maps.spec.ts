import type { ImClient } from '@imw/shared/sdk';
import type { Page } from '@playwright/test';
import { expect, test } from './fixtures';
import { createUser, openAs, sdkClient } from './helpers';
import { clickTo, walk } from './world-helpers';

/**
 * The WorkAdventure-convention maps shipped in server/maps (scripts/gen-wa-maps.mjs), 32 px tiles:
 * Office 30x20: default start tile (14, 15) = (464, 496) in the Open Space; the Quiet Corner
 * (silent) is tiles 2-7 x 13-17; the outer wall is row 19; a canopy drawn over the players covers
 * tiles 12-16 on row 12 (y 384-416); the exit to the annex is tile (28, 9-10), arriving at the
 * annex's entry "from-office" (112, 176). The annex's exit (tile 1, 5-6) leads back to the
 * office's entry "from-annex" (848, 304).
 */
const START = { x: 464, y: 496 };
const CANOPY_RGB = [200, 40, 150];

const self = (page: Page) => page.evaluate(() => window.__imw?.self() ?? { x: -1, y: -1 });
const bubbles = (page: Page) => page.evaluate(() => window.__imw?.bubbles().map((b) => b.text) ?? []);
const pixelAtSelf = (page: Page) =>
  page.evaluate(() => {
    const p = window.__imw?.self();
    return p ? window.__imw?.pixelAt(p.x, p.y) : null;
  });

/** Waits `n` animation frames in the page: time for the avatar to move, measured in frames drawn. */
const frames = (page: Page, n: number) =>
  page.evaluate(
    (n) =>
      new Promise<void>((done) => {
        let k = 0;
        const step = () => (++k >= n ? done() : requestAnimationFrame(step));
        requestAnimationFrame(step);
      }),
    n,
  );

/**
 * The avatar entered at `entry`: the arrow key was still down for a while after the new map
 * appeared (longer on a loaded machine), so it may have walked on in direction `dx`, but only
 * along the entry's row, which no other start of that map shares.
 */
async function arrivedAt(page: Page, entry: { x: number; y: number }, dx: 1 | -1): Promise<void> {
  const p = await self(page);
  expect(p.y).toBe(entry.y);
  expect((p.x - entry.x) * dx).toBeGreaterThanOrEqual(0);
}

/** Moves an SDK bot along a row in 16 px steps, under the server's speed limit. */
async function botWalkX(c: ImClient, from: { x: number; y: number }, toX: number): Promise<void> {
  let seq = 1;
  for (let x = from.x; x !== toX; ) {
    x += Math.sign(toX - x) * Math.min(16, Math.abs(toX - x));
    const r = await c.request('scene.move', { x, y: from.y, seq: seq++ });
    if (!r.accepted) throw new Error(`move to ${x},${from.y} refused; server has ${r.x},${r.y}`);
    await new Promise((done) => setTimeout(done, 80));
  }
}

test('world maps (WorkAdventure convention): spawn, walls, rooms, a silent zone, drawing order, portals both ways', async ({
  browser,
  server,
}) => {
  test.slow(); // a long walk through two maps: three times the default budget
  const [alice, bob] = await Promise.all([createUser(server, 'office'), createUser(server, 'bot')]);
  const { context, page } = await openAs(browser, server, alice, { mode: 'World', map: 'Office' });
  const map = page.getByLabel(/^Map of Office/);
  await expect(map).toBeVisible();

  // Spawn: the first tile of the "start" layer; the room is the Open Space.
  await expect.poll(() => self(page)).toEqual(START);
  await expect(page.getByText('Room: Open Space')).toBeVisible();
  await map.focus();

  // Walls: the outer wall (row 19, y >= 608) stops her however long she walks.
  await walk(page, 'ArrowDown', 'y', '>', 580);
  await page.keyboard.down('ArrowDown');
  await frames(page, 40);
  await page.keyboard.up('ArrowDown');
  expect((await self(page)).y).toBeLessThan(608);

  // A bot stands just outside the Quiet Corner (tile 8, row 15).
  const bot = sdkClient(server);
  await bot.connect();
  await bot.login(bob.username, bob.password, { mode: 'scene', sceneId: 'office' });
  await botWalkX(bot, START, 272);
  const heardByBot: string[] = [];
  bot.on('scene.chat', (c) => heardByBot.push(c.text));

  // Into the Quiet Corner: the room chip and the silent note say where she is.
  await walk(page, 'ArrowUp', 'y', '<', 500);
  await walk(page, 'ArrowLeft', 'x', '<', 200);
  await expect(page.getByText('Room: Quiet Corner')).toBeVisible();
  await expect(page.getByText('Silent zone: nobody hears scene chat here.')).toBeVisible();

  // Said in a silent zone: refused (the text stays in the field, no bubble), the bot hears nothing.
  const say = page.getByLabel('Say', { exact: true });
  await say.fill('Is anyone there?');
  await page.getByRole('button', { name: 'Say' }).click();
  await expect(page.getByRole('button', { name: 'Say' })).toBeEnabled();
  await expect(say).toHaveValue('Is anyone there?');
  expect(await bubbles(page)).not.toContain('Is anyone there?');
  // The bot speaks: she sees no bubble (she is in the silent zone); the bot's own request went through.
  await bot.request('scene.chat', { text: 'Hello from outside' });
  await bot.request('sys.heartbeat', {});
  expect(heardByBot).toEqual([]);
  await frames(page, 10);
  expect(await bubbles(page)).not.toContain('Hello from outside');

  // Drawing order: under the canopy (row 12) the canopy's colour is drawn over her; below it, she is.
  await clickTo(page, { x: 464, y: 464 });
  await expect.poll(() => pixelAtSelf(page)).not.toEqual(CANOPY_RGB);
  await clickTo(page, { x: 464, y: 400 });
  await expect.poll(() => pixelAtSelf(page)).toEqual(CANOPY_RGB);
  await map.focus();

  // The exit (tile 28, rows 9-10) leads to the annex's "from-office" entry.
  await clickTo(page, { x: 464, y: 320 }); // on row 10, the exit's row
  await map.focus();
  await page.keyboard.down('ArrowRight');
  try {
    await expect(page.getByLabel(/^Map of Annex/)).toBeVisible({ timeout: 20_000 });
  } finally {
    await page.keyboard.up('ArrowRight');
  }
  await arrivedAt(page, { x: 112, y: 176 }, +1);

  // And back: the annex's exit leads to the office's "from-annex" entry.
  await page.getByLabel(/^Map of Annex/).focus();
  await page.keyboard.down('ArrowLeft');
  try {
    await expect(page.getByLabel(/^Map of Office/)).toBeVisible({ timeout: 20_000 });
  } finally {
    await page.keyboard.up('ArrowLeft');
  }
  await arrivedAt(page, { x: 848, y: 304 }, -1);

  await bot.logout().catch(() => undefined);
  bot.close();
  await context.close();
});

test('world maps: the login form lists the server’s maps by their names', async ({ page, server }) => {
  const res = await page.request.get(`${server.url}/maps`);
  const { maps } = (await res.json()) as { maps: { id: string; name: string }[] };
  expect(maps.map((m) => m.id)).toEqual(['plaza', 'annex', 'office', 'park']);
  await page.goto(`${server.url}/#/login`);
  await page.getByLabel('World').check();
  await expect(page.getByLabel('Map').locator('option')).toHaveText(['Plaza', 'Annex', 'Office', 'Park']);
});

import type { ImClient } from '@imw/shared/sdk';
import type { Locator, Page } from '@playwright/test';
import { expect, test } from './fixtures';
import { createUser, openAs, PASSWORD, sdkClient, type User } from './helpers';
import { clickTo, walk } from './world-helpers';

/**
 * Bubble calls with Chromium's fake camera and microphone (playwright.config.ts). Plaza: default
 * spawn (976, 656) on the east-west road, so players who enter together stand on one spot and
 * form a bubble (cap BUBBLE_CAP = 4). Office: start (464, 496); the meeting room "office-meeting"
 * is x 32-320, y 32-256, its door at tile (5, 8) = x 160-192, y 256-288.
 */
const SPAWN = { x: 976, y: 656 };

/** A <video> plays when it has frames (videoWidth > 0) and its clock advances. */
async function expectPlaying(video: Locator) {
  await expect
    .poll(() => video.evaluate((v: HTMLVideoElement) => v.videoWidth), { timeout: 20_000 })
    .toBeGreaterThan(0);
  const t0 = await video.evaluate((v: HTMLVideoElement) => v.currentTime);
  await expect.poll(() => video.evaluate((v: HTMLVideoElement) => v.currentTime)).toBeGreaterThan(t0);
}

/** Per peer connection of the page's bubble call: the kinds of the live remote tracks. */
const liveRemoteKinds = (page: Page) =>
  page.evaluate(() =>
    [...(window.__imwBubble?.connections() ?? new Map<number, RTCPeerConnection>())].map(([id, pc]) => ({
      id,
      kinds: pc
        .getReceivers()
        .filter((r) => r.track.readyState === 'live' && !r.track.muted)
        .map((r) => r.track.kind)
        .sort(),
    })),
  );

const mine = (page: Page) => page.evaluate(() => window.__imwBubble?.mine()?.length ?? 0);

/** A player without a browser (it takes a place in a bubble but makes no call). */
async function bot(
  server: Parameters<typeof sdkClient>[0],
  user: User,
  sceneId: string,
): Promise<{ c: ImClient; refused: Array<{ bubbleId: string; reason: string }> }> {
  const c = sdkClient(server);
  await c.connect();
  const refused: Array<{ bubbleId: string; reason: string }> = [];
  c.on('scene.bubbleRefused', (r) => refused.push(r));
  const changed = new Promise((done) => c.on('scene.changed', done));
  await c.login(user.username, PASSWORD, { mode: 'scene', sceneId });
  await changed;
  return { c, refused };
}

test('R-BUB-1, R-BUB-3, R-BUB-5: three walk together and see and hear each other; the fifth is refused; walking away ends the tracks', async ({
  browser,
  server,
}) => {
  test.setTimeout(150_000);
  const users = await Promise.all(['alice', 'bob', 'carol', 'dave', 'eve'].map((n) => createUser(server, n)));
  const [alice, bob, carol, dave, eve] = users as [User, User, User, User, User];
  const opened = [];
  for (const u of [alice, bob, carol]) {
    const o = await openAs(browser, server, u, { mode: 'World', map: 'Plaza' });
    await o.page.getByRole('button', { name: 'Turn on camera and microphone' }).click();
    await expect(o.page.getByRole('button', { name: 'Turn off camera and microphone' })).toBeVisible();
    opened.push(o);
  }
  const pages = opened.map((o) => o.page);
  const [a, b, c] = pages as [Page, Page, Page];
  for (const p of pages) await expect.poll(() => mine(p), { timeout: 20_000 }).toBe(3);

  // Each receives two remote audio+video tracks, and the videos play.
  for (const p of pages) {
    await expect
      .poll(async () => (await liveRemoteKinds(p)).map((x) => x.kinds.join()), { timeout: 30_000 })
      .toEqual(['audio,video', 'audio,video']);
  }
  await expectPlaying(a.getByLabel(`Video of ${bob.username}`));
  await expectPlaying(a.getByLabel(`Video of ${carol.username}`));
  await expectPlaying(b.getByLabel(`Video of ${carol.username}`));
  await expectPlaying(c.getByLabel(`Video of ${alice.username}`));
  await expect(a.getByText('In a bubble (3 people)')).toBeVisible();
  // The figure "signalling messages per bubble formed" (bench/README.md): the three pairs' offers,
  // answers, readies and ICE candidates, all relayed by the server.
  const signals = (
    await Promise.all(pages.map((p) => p.evaluate(() => window.__imwBubble?.signalsSent() ?? 0)))
  ).reduce((x, y) => x + y);
  console.log(`bubble of 3 formed with ${signals} scene.signal messages`);
  expect(signals).toBeGreaterThanOrEqual(6); // an offer and an answer per pair at least
  await a.screenshot({ path: 'docs/screenshots/world-bubble.png', animations: 'disabled' });

  // Dave makes four (the cap); Eve, the fifth, is refused with the documented error.
  const d = await bot(server, dave, 'plaza');
  for (const p of pages) await expect.poll(() => mine(p), { timeout: 20_000 }).toBe(4);
  const e = await bot(server, eve, 'plaza');
  await expect.poll(() => e.refused.map((r) => r.reason), { timeout: 20_000 }).toEqual(['full']);
  await expect(e.c.request('scene.bubbleJoin', { bubbleId: e.refused[0]!.bubbleId })).rejects.toMatchObject({
    code: 'LIMIT_EXCEEDED',
  });
  await Promise.all([d, e].map((x) => x.c.logout().then(() => x.c.close())));
  for (const p of pages) await expect.poll(() => mine(p), { timeout: 20_000 }).toBe(3);

  // Carol walks away: Alice's and Bob's tracks from her end at once, and her tile goes.
  const carolId = await c.evaluate(() => {
    const own = window.__imwBubble?.mine() ?? [];
    const peers = [...(window.__imwBubble?.connections().keys() ?? [])];
    return own.find((id) => !peers.includes(id))!;
  });
  for (const p of [a, b]) {
    await p.evaluate((id) => {
      const pc = window.__imwBubble?.connections().get(id);
      (window as unknown as { __carolTracks: MediaStreamTrack[] }).__carolTracks =
        pc?.getReceivers().map((r) => r.track) ?? [];
    }, carolId);
  }
  await walk(c, 'ArrowLeft', 'x', '<', SPAWN.x - 120);
  for (const p of [a, b]) {
    await expect.poll(() => mine(p)).toBe(2);
    await expect
      .poll(() =>
        p.evaluate(() =>
          (window as unknown as { __carolTracks: MediaStreamTrack[] }).__carolTracks.map((t) => t.readyState),
        ),
      )
      .toEqual(['ended', 'ended']);
    await expect(p.getByLabel(`Video of ${carol.username}`)).toHaveCount(0);
  }
  await expect.poll(() => mine(c)).toBe(0);
  await Promise.all(opened.map((o) => o.context.close()));
});

test('R-BUB-6: a meeting area joins everyone inside in one call; a shared screen appears as a tile', async ({
  browser,
  server,
}) => {
  test.setTimeout(150_000);
  const [alice, bob] = await Promise.all([createUser(server, 'alice'), createUser(server, 'bob')]);
  const a = await openAs(browser, server, alice, { mode: 'World', map: 'Office' });
  // Alone in the office: speaking gets the hint that nobody heard.
  await a.page.getByLabel('Say', { exact: true }).fill('anyone here?');
  await a.page.getByRole('button', { name: 'Say' }).click();
  await expect(a.page.getByText('Nobody was close enough to hear you.')).toBeVisible();
  const b = await openAs(browser, server, bob, { mode: 'World', map: 'Office' });
  for (const o of [a, b]) await o.page.getByRole('button', { name: 'Turn on camera and microphone' }).click();
  // Through the door into the meeting room, to two spots far apart (no proximity bubble there).
  for (const [o, spot] of [
    [a, { x: 80, y: 112 }],
    [b, { x: 272, y: 208 }],
  ] as const) {
    await clickTo(o.page, { x: 176, y: 336 });
    await clickTo(o.page, { x: 176, y: 240 });
    await clickTo(o.page, spot);
  }
  for (const o of [a, b]) {
    await expect(o.page.getByText('In meeting office-meeting (2 people)')).toBeVisible({ timeout: 20_000 });
  }
  await expectPlaying(a.page.getByLabel(`Video of ${bob.username}`));
  await expectPlaying(b.page.getByLabel(`Video of ${alice.username}`));

  await a.page.getByRole('button', { name: 'Share screen' }).click();
  await expect(a.page.getByRole('button', { name: 'Share screen' })).toHaveAttribute('aria-pressed', 'true');
  await expectPlaying(b.page.getByLabel(`Screen shared by ${alice.username}`));
  await b.page.screenshot({ path: 'docs/screenshots/world-meeting.png', animations: 'disabled' });
  await Promise.all([a.context.close(), b.context.close()]);
});

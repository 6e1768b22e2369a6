import type { Locator, Page } from '@playwright/test';
import { expect, test } from './fixtures';
import { befriend, conversationLink, createUser, openAs } from './helpers';

/** A <video> plays when it has frames (videoWidth > 0) and its clock advances. */
async function expectPlaying(video: Locator) {
  await expect.poll(() => video.evaluate((v: HTMLVideoElement) => v.videoWidth)).toBeGreaterThan(0);
  const t0 = await video.evaluate((v: HTMLVideoElement) => v.currentTime);
  await expect.poll(() => video.evaluate((v: HTMLVideoElement) => v.currentTime)).toBeGreaterThan(t0);
}

const trackEnabled = (page: Page, kind: 'audio' | 'video') =>
  page
    .getByLabel('Your camera')
    .evaluate(
      (v: HTMLVideoElement, k) => (v.srcObject as MediaStream).getTracks().find((t) => t.kind === k)?.enabled,
      kind,
    );

/** Counts the page's getUserMedia calls from now on (window.__gumCalls). */
const countMediaRequests = (page: Page) =>
  page.evaluate(() => {
    const devices = navigator.mediaDevices;
    const original = devices.getUserMedia.bind(devices);
    window.__gumCalls = 0;
    devices.getUserMedia = (c) => {
      window.__gumCalls = (window.__gumCalls ?? 0) + 1;
      return original(c);
    };
  });
const mediaRequests = (page: Page) => page.evaluate(() => window.__gumCalls ?? -1);
/** Tracks the page's direct connection receives (0 without a connection). */
const remoteTracks = (page: Page) =>
  page.evaluate(
    () =>
      window.__imwRtc
        ?.pc()
        ?.getReceivers()
        .filter((r) => r.track.readyState === 'live').length ?? 0,
  );
const ringing = (page: Page) => page.evaluate(() => window.__imwRtc?.ringing() ?? false);

test('R-CALL-2: a call rings the friend in the world; no media before accept; accept connects both ways', async ({
  browser,
  server,
}) => {
  const [alice, bob] = await Promise.all([createUser(server, 'alice'), createUser(server, 'bob')]);
  await befriend(server, alice, bob);
  const a = await openAs(browser, server, alice);
  // Bob is elsewhere in the app: walking the world, no conversation open.
  const b = await openAs(browser, server, bob, { mode: 'World', map: 'Plaza' });
  await countMediaRequests(a.page);
  await countMediaRequests(b.page);

  await conversationLink(a.page, bob.username).click();
  await a.page.getByRole('button', { name: 'Call', exact: true }).click();
  await expect(a.page.getByText(`Calling ${bob.username}…`)).toBeVisible();
  const toast = b.page.getByRole('alert', { name: 'Incoming call' });
  await expect(toast).toContainText(`${alice.username} is calling you.`);
  await expect.poll(() => ringing(b.page)).toBe(true);
  // Nothing has left Alice: no camera, no connection, no offer taken by Bob.
  expect(await mediaRequests(a.page)).toBe(0);
  expect(await a.page.evaluate(() => window.__imwRtc?.pc() ?? null)).toBeNull();
  expect(await b.page.evaluate(() => window.__imwRtc?.pc() ?? null)).toBeNull();

  await toast.getByRole('button', { name: 'Accept call' }).click();
  await expect(toast).toHaveCount(0);
  expect(await ringing(b.page)).toBe(false);
  await expectPlaying(b.page.getByLabel('Remote video'));
  await expectPlaying(a.page.getByLabel('Remote video'));
  expect(await mediaRequests(a.page)).toBeGreaterThan(0);
  for (const p of [a.page, b.page]) {
    await expect(p.getByRole('region', { name: 'Direct connection', exact: true })).toContainText(
      'Direct (peer-to-peer)',
    );
  }
  await a.page.getByRole('button', { name: 'Hang up' }).click();
  await expect(b.page.getByText('Your friend hung up.')).toBeVisible();
  await Promise.all([a.context.close(), b.context.close()]);
});

test('a call within a direct connection rings first: the friend sees nothing until accepting', async ({
  browser,
  server,
}) => {
  const [alice, bob] = await Promise.all([createUser(server, 'alice'), createUser(server, 'bob')]);
  await befriend(server, alice, bob);
  const [a, b] = await Promise.all([openAs(browser, server, alice), openAs(browser, server, bob)]);
  await conversationLink(a.page, bob.username).click();
  await a.page.getByRole('button', { name: 'Direct' }).click();
  await b.page.getByRole('button', { name: 'Accept direct connection' }).click();
  for (const p of [a.page, b.page]) {
    await expect(p.getByRole('region', { name: 'Direct connection', exact: true })).toContainText(
      'Direct (peer-to-peer)',
    );
  }

  // Alice starts the call: it rings; Bob neither sees nor hears her until he accepts.
  await countMediaRequests(a.page);
  await a.page.getByRole('button', { name: 'Start call' }).click();
  await expect(a.page.getByText('Ringing…')).toBeVisible();
  const toast = b.page.getByRole('alert', { name: 'Incoming call' });
  await expect(toast).toBeVisible();
  expect(await mediaRequests(a.page)).toBe(0);
  expect(await remoteTracks(b.page)).toBe(0);
  await expect(b.page.getByLabel('Remote video')).toHaveCount(0);

  await toast.getByRole('button', { name: 'Accept call' }).click();
  await expectPlaying(b.page.getByLabel('Remote video'));
  await expectPlaying(a.page.getByLabel('Remote video'));
  await expectPlaying(b.page.getByLabel('Your camera'));

  // Mute and Camera off are toggles that switch the local tracks off and on.
  const mute = a.page.getByRole('button', { name: 'Mute' });
  await mute.click();
  await expect(mute).toHaveAttribute('aria-pressed', 'true');
  expect(await trackEnabled(a.page, 'audio')).toBe(false);
  const camera = a.page.getByRole('button', { name: 'Camera off' });
  await camera.click();
  await expect(camera).toHaveAttribute('aria-pressed', 'true');
  expect(await trackEnabled(a.page, 'video')).toBe(false);
  await mute.click();
  await expect(mute).toHaveAttribute('aria-pressed', 'false');
  expect(await trackEnabled(a.page, 'audio')).toBe(true);

  await b.page.getByRole('button', { name: 'Hang up' }).click();
  await expect(a.page.getByText('Your friend hung up.')).toBeVisible();
  await expect(a.page.getByLabel('Remote video')).toHaveCount(0);
  await Promise.all([a.context.close(), b.context.close()]);
});

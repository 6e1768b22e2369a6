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

test('a call with the fake camera and microphone: remote video plays both ways', async ({
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

  // Alice starts the call: Bob sees and hears her before he joins.
  await a.page.getByRole('button', { name: 'Start call' }).click();
  await expectPlaying(b.page.getByLabel('Remote video'));

  await b.page.getByRole('button', { name: 'Join call' }).click();
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

import type { Page } from '@playwright/test';
import { expect, testWithServer } from './fixtures';
import { asUser, befriend, conversationLink, createUser, openAs } from './helpers';

/** The tab counts as hidden and desktop notifications are recorded instead of shown. */
const hideAndRecordNotifications = (page: Page) =>
  page.evaluate(() => {
    const shown: string[] = [];
    Object.assign(window, { __notifications: shown });
    Object.defineProperty(document, 'hidden', { configurable: true, get: () => true });
    class Recorded {
      static readonly permission = 'granted';
      onclick: (() => void) | null = null;
      constructor(title: string) {
        shown.push(title);
      }
      close() {}
    }
    Object.assign(window, { Notification: Recorded });
  });
const notifications = (page: Page) =>
  page.evaluate(() => (window as unknown as { __notifications?: string[] }).__notifications ?? []);

// The server decides when a call has rung long enough (R-CALL-3); a short ring keeps this quick.
const test = testWithServer({ RING_TIMEOUT_MS: '1500' });

test('R-CALL-3: an unanswered call notifies, rings out and leaves a missed-call line for both, kept after reload', async ({
  browser,
  server,
}) => {
  const [alice, bob, carol] = await Promise.all([
    createUser(server, 'alice'),
    createUser(server, 'bob'),
    createUser(server, 'carol'),
  ]);
  await befriend(server, alice, bob);
  await befriend(server, bob, carol);
  await asUser(server, bob, (c) => c.request('settings.set', { notifyCall: true }));
  const [a, b] = await Promise.all([openAs(browser, server, alice), openAs(browser, server, bob)]);
  // Bob is in another conversation when the call comes.
  await conversationLink(b.page, carol.username).click();
  await hideAndRecordNotifications(b.page);
  await conversationLink(a.page, bob.username).click();
  await a.page.getByRole('button', { name: 'Call', exact: true }).click();
  const toast = b.page.getByRole('alert', { name: 'Incoming call' });
  await expect(toast).toBeVisible();
  // The tab is hidden and notifyCall is on: a desktop notification too (R-NOT-3).
  await expect.poll(() => notifications(b.page)).toContainEqual(expect.stringContaining(alice.username));

  // Nobody answers: the server ends it; the toast goes and the ring stops.
  await expect(toast).toHaveCount(0);
  await expect(a.page.getByText('No answer.')).toBeVisible();
  expect(await b.page.evaluate(() => window.__imwRtc?.ringing() ?? false)).toBe(false);
  await expect(a.page.getByText('Your call was not answered')).toBeVisible();
  await conversationLink(b.page, alice.username).click();
  await expect(b.page.getByText(`Missed call from ${alice.username}`)).toBeVisible();

  // Stored, not just shown: a reload (history) still has it.
  await b.page.reload();
  await conversationLink(b.page, alice.username).click();
  await expect(b.page.getByText(`Missed call from ${alice.username}`)).toBeVisible();
  await Promise.all([a.context.close(), b.context.close()]);
});

test('R-CALL-4/R-CALL-5: a decline leaves no line; an invisible friend declining is silent, so the call rings out as to an offline friend', async ({
  browser,
  server,
}) => {
  const [alice, bob, dave] = await Promise.all([
    createUser(server, 'alice'),
    createUser(server, 'bob'),
    createUser(server, 'dave'),
  ]);
  await befriend(server, alice, bob);
  await befriend(server, alice, dave);
  const [a, b, d] = await Promise.all([
    openAs(browser, server, alice),
    openAs(browser, server, bob),
    openAs(browser, server, dave, { invisible: true }),
  ]);
  const call = async (friend: string) => {
    await conversationLink(a.page, friend).click();
    await a.page.getByRole('button', { name: 'Call', exact: true }).click();
  };
  const decline = async (page: Page) => {
    const toast = page.getByRole('alert', { name: 'Incoming call' });
    await toast.getByRole('button', { name: 'Decline call' }).click();
    await expect(toast).toHaveCount(0);
  };

  await call(bob.username);
  await decline(b.page);
  await expect(a.page.getByText('Your friend declined the call.')).toBeVisible();

  await call(dave.username);
  await decline(d.page);
  // Dave's decline told Alice nothing: it still rings, then rings out and is recorded as missed.
  await expect(a.page.getByText(`Calling ${dave.username}…`)).toBeVisible();
  await expect(a.page.getByText('No answer.')).toBeVisible();
  await expect(a.page.getByText('Your call was not answered')).toBeVisible();
  await conversationLink(d.page, alice.username).click();
  await expect(d.page.getByText(`Missed call from ${alice.username}`)).toBeVisible();

  // Bob's call was rung before Dave's: had it left a line, it would be there by now.
  await conversationLink(a.page, bob.username).click();
  await expect(a.page.getByRole('heading', { level: 1, name: bob.username })).toBeVisible();
  await expect(a.page.locator('[data-event="missedCall"]')).toHaveCount(0);
  await Promise.all([a.context.close(), b.context.close(), d.context.close()]);
});

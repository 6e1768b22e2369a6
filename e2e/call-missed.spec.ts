import { expect, testWithServer } from './fixtures';
import { befriend, conversationLink, createUser, openAs } from './helpers';

// The server decides when a call has rung long enough (R-CALL-3); a short ring keeps this quick.
const test = testWithServer({ RING_TIMEOUT_MS: '1500' });

test('R-CALL-3: an unanswered call rings out and leaves a missed-call line for both, kept after reload', async ({
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
  const [a, b] = await Promise.all([openAs(browser, server, alice), openAs(browser, server, bob)]);
  // Bob is in another conversation when the call comes.
  await conversationLink(b.page, carol.username).click();
  await conversationLink(a.page, bob.username).click();
  await a.page.getByRole('button', { name: 'Call', exact: true }).click();
  const toast = b.page.getByRole('alert', { name: 'Incoming call' });
  await expect(toast).toBeVisible();

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

import { expect, test } from './fixtures';
import { conversationLink, createUser, logIn, openAs } from './helpers';

test('a friend request is accepted; presence changes show live; invisible looks offline', async ({
  browser,
  server,
}) => {
  const [alice, bob] = await Promise.all([createUser(server, 'alice'), createUser(server, 'bob')]);
  const a = await openAs(browser, server, alice);
  const b = await openAs(browser, server, bob);

  await a.page.getByLabel("Friend's username").fill(bob.username);
  await a.page.getByRole('button', { name: 'Add friend' }).click();
  await expect(a.page.getByText(`Friend request sent to ${bob.username}.`)).toBeVisible();
  await expect(a.page.getByRole('button', { name: `Cancel request to ${bob.username}` })).toBeVisible();

  // Bob sees the request arrive live and accepts it.
  await b.page.getByRole('button', { name: `Accept ${alice.username}` }).click();
  await expect(conversationLink(b.page, alice.username)).toContainText('Online');
  await expect(conversationLink(a.page, bob.username)).toContainText('Online');
  await expect(a.page.getByRole('button', { name: `Cancel request to ${bob.username}` })).toHaveCount(0);

  // Status changes reach the friend without a reload.
  await b.page.getByLabel('Status').selectOption('away');
  await expect(conversationLink(a.page, bob.username)).toContainText('Away');
  await b.page.getByLabel('Status').selectOption('busy');
  await expect(conversationLink(a.page, bob.username)).toContainText('Busy');

  // Invisible is indistinguishable from offline, and coming back is a login to the friend.
  await b.page.getByLabel('Status').selectOption('invisible');
  await expect(conversationLink(a.page, bob.username)).toContainText('Offline');
  await b.page.getByLabel('Status').selectOption('online');
  await expect(conversationLink(a.page, bob.username)).toContainText('Online');

  // Logging out is seen as offline too.
  await b.page.getByRole('button', { name: 'Log out' }).click();
  await expect(conversationLink(a.page, bob.username)).toContainText('Offline');

  // R-PRS-3: logging back in invisible; Bob's own status says so, Alice still sees him offline
  // until he shows himself.
  await logIn(b.page, bob, { invisible: true });
  await expect(b.page.getByLabel('Status')).toHaveValue('invisible');
  await expect(conversationLink(a.page, bob.username)).toContainText('Offline');
  await b.page.getByLabel('Status').selectOption('busy');
  await expect(conversationLink(a.page, bob.username)).toContainText('Busy');

  await Promise.all([a.context.close(), b.context.close()]);
});

test('declining and cancelling requests, removing a friend', async ({ browser, server }) => {
  const [carol, dave] = await Promise.all([createUser(server, 'carol'), createUser(server, 'dave')]);
  const c = await openAs(browser, server, carol);
  const d = await openAs(browser, server, dave);

  await c.page.getByLabel("Friend's username").fill(dave.username);
  await c.page.getByRole('button', { name: 'Add friend' }).click();
  await d.page.getByRole('button', { name: `Decline ${carol.username}` }).click();
  await expect(c.page.getByRole('button', { name: `Cancel request to ${dave.username}` })).toHaveCount(0);

  // R-FRD-32: after a decline, asking again waits out a cooldown, said in plain words.
  await c.page.getByLabel("Friend's username").fill(dave.username);
  await c.page.getByRole('button', { name: 'Add friend' }).click();
  await expect(c.page.getByRole('alert')).toContainText('They declined your last request.');

  // The one who declined may ask; and may withdraw it.
  await d.page.getByLabel("Friend's username").fill(carol.username);
  await d.page.getByRole('button', { name: 'Add friend' }).click();
  await expect(c.page.getByRole('button', { name: `Accept ${dave.username}` })).toBeVisible();
  await d.page.getByRole('button', { name: `Cancel request to ${carol.username}` }).click();
  await expect(c.page.getByRole('button', { name: `Accept ${dave.username}` })).toHaveCount(0);

  // Asking someone who already asked you makes you friends at once.
  await d.page.getByLabel("Friend's username").fill(carol.username);
  await d.page.getByRole('button', { name: 'Add friend' }).click();
  await c.page.getByRole('button', { name: `Accept ${dave.username}` }).click();
  await expect(conversationLink(d.page, carol.username)).toBeVisible();

  await d.page.getByRole('button', { name: `Remove ${carol.username}` }).click();
  await d.page.getByRole('dialog').getByRole('button', { name: 'Remove' }).click();
  await expect(conversationLink(d.page, carol.username)).toHaveCount(0);
  await expect(conversationLink(c.page, dave.username)).toHaveCount(0);

  // An unknown username is reported in the form.
  await c.page.getByLabel("Friend's username").fill('nobody-here-123');
  await c.page.getByRole('button', { name: 'Add friend' }).click();
  await expect(c.page.getByRole('alert')).toHaveText('No user has that username.');

  await Promise.all([c.context.close(), d.context.close()]);
});

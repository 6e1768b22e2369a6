import { expect, test } from './fixtures';
import { asUser, befriend, conversationLink, createUser, openAs, userId } from './helpers';

/** R-RCP-1/2 and R-TYP-*: ticks and typing between two browsers. */
test('read ticks: delivered while the friend has not opened it, read once they do; typing shown and cleared', async ({
  browser,
  server,
}) => {
  const [alice, bob] = await Promise.all([createUser(server, 'alice'), createUser(server, 'bob')]);
  await befriend(server, alice, bob);
  const a = await openAs(browser, server, alice);
  const b = await openAs(browser, server, bob);

  await conversationLink(a.page, bob.username).click();
  const composer = a.page.getByLabel('Message');
  await composer.fill('Did you get this?');
  await composer.press('Enter');
  const aliceLog = a.page.getByRole('log', { name: `Conversation with ${bob.username}` });
  const own = aliceLog.getByRole('listitem').filter({ hasText: 'Did you get this?' });
  // Bob's page is open (his device got it) but the conversation is not: delivered, not read.
  await expect(own.locator('[data-tick]')).toHaveAttribute('data-tick', 'delivered');
  await expect(own.getByText('Delivered')).toBeAttached();

  await conversationLink(b.page, alice.username).click();
  await expect(own.locator('[data-tick]')).toHaveAttribute('data-tick', 'read');
  await a.page
    .getByRole('main')
    .screenshot({ path: 'docs/screenshots/chat-receipts.png', animations: 'disabled' });

  // Bob types: Alice sees it; his message clears it at once.
  const bobComposer = b.page.getByLabel('Message');
  await bobComposer.pressSequentially('Yes, ');
  const typing = a.page.getByText(`${bob.username} is typing…`);
  await expect(typing).toBeVisible();
  await a.page
    .getByRole('main')
    .screenshot({ path: 'docs/screenshots/chat-typing.png', animations: 'disabled' });
  await bobComposer.pressSequentially('got it');
  await bobComposer.press('Enter');
  await expect(aliceLog.getByText('Yes, got it')).toBeVisible();
  await expect(typing).toHaveCount(0);
  // Typing and pausing: the indicator goes by itself a few seconds later.
  await bobComposer.pressSequentially('hmm');
  await expect(typing).toBeVisible();
  await expect(typing).toHaveCount(0, { timeout: 12_000 });
  await Promise.all([a.context.close(), b.context.close()]);
});

/** R-NOT-1: the unread count in the tab's title and on the phone layout's menu button. */
test('unread count in the title and on the phone menu badge; reading clears both', async ({
  browser,
  server,
}) => {
  const [alice, bob] = await Promise.all([createUser(server, 'alice'), createUser(server, 'bob')]);
  await befriend(server, alice, bob);
  const bobId = await userId(server, bob);
  const b = await openAs(browser, server, bob);
  await b.page.setViewportSize({ width: 390, height: 760 });
  await expect(b.page).toHaveTitle('IM World');
  await asUser(server, alice, async (c) => {
    await c.send(bobId, 'one');
    await c.send(bobId, 'two');
  });
  await expect(b.page).toHaveTitle('(2) IM World');
  const menu = b.page.getByRole('button', { name: /Menu/ });
  await expect(menu).toHaveAccessibleName(/2 unread/);
  await expect(b.page.getByTestId('menu-badge')).toHaveText(/^2/);
  await b.page.screenshot({ path: 'docs/screenshots/unread-badge-phone.png', animations: 'disabled' });
  await menu.click();
  await conversationLink(b.page, alice.username).click();
  await expect(b.page).toHaveTitle('IM World');
  await expect(b.page.getByTestId('menu-badge')).toHaveCount(0);
  await b.context.close();
});

/** R-RCP-5 and R-NOT-2..3 in the settings: group read-by list, the switches that follow the user. */
test('a group shows who read an own message; notification and receipt settings are saved to the account (R-NOT-2, R-NOT-3)', async ({
  browser,
  server,
}) => {
  const [alice, bob] = await Promise.all([createUser(server, 'alice'), createUser(server, 'bob')]);
  const { groupId } = await asUser(server, alice, (c) => c.request('groups.create', { name: 'Readers' }));
  await asUser(server, bob, (c) => c.request('groups.join', { groupId }));
  const a = await openAs(browser, server, alice);
  const b = await openAs(browser, server, bob);
  await conversationLink(a.page, 'Readers').click();
  await a.page.getByLabel('Message').fill('Agenda attached');
  await a.page.getByLabel('Message').press('Enter');
  await conversationLink(b.page, 'Readers').click();
  await expect(b.page.getByText('Agenda attached')).toBeVisible();
  const readBy = a.page.getByText('Read by 1');
  await expect(readBy).toBeVisible();
  await readBy.click();
  await expect(a.page.locator('.message-readers p')).toHaveText(bob.username);

  await b.page.goto('/#/account');
  const receipts = b.page.getByLabel('Send read receipts');
  await expect(receipts).toBeChecked();
  await receipts.uncheck();
  await b.page.getByLabel('Play a sound for new messages').check();
  await b.page
    .getByRole('region', { name: 'Notifications and privacy' })
    .screenshot({ path: 'docs/screenshots/notification-settings.png', animations: 'disabled' });
  // Saved to the account: another device reads them (the switch shows at once, the save follows).
  await expect
    .poll(() => asUser(server, bob, (c) => c.settings.get()))
    .toMatchObject({ readReceipts: false, notifySound: true });
  await Promise.all([a.context.close(), b.context.close()]);
});

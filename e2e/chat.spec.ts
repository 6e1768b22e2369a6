import { expect, test } from './fixtures';
import { befriend, conversationLink, createUser, openAs, sdkClient, userId } from './helpers';

test('friends chat; unread counts; a stranger’s message never appears', async ({ browser, server }) => {
  const [alice, bob, mallory] = await Promise.all([
    createUser(server, 'alice'),
    createUser(server, 'bob'),
    createUser(server, 'mallory'),
  ]);
  await befriend(server, alice, bob);
  const bobId = await userId(server, bob);
  const a = await openAs(browser, server, alice);
  const b = await openAs(browser, server, bob);

  await conversationLink(a.page, bob.username).click();
  await expect(a.page.getByRole('heading', { level: 1, name: bob.username })).toBeVisible();
  const composer = a.page.getByLabel('Message');
  await composer.fill('Hi Bob!');
  await composer.press('Enter');
  await composer.fill('Line one');
  await composer.press('Shift+Enter');
  await composer.pressSequentially('line two');
  await a.page.getByRole('button', { name: 'Send' }).click();

  // Bob has not opened the conversation: the sidebar counts the unread messages.
  await expect(conversationLink(b.page, alice.username)).toHaveAccessibleName(/2 unread/);
  await conversationLink(b.page, alice.username).click();
  const bobLog = b.page.getByRole('log', { name: `Conversation with ${alice.username}` });
  await expect(bobLog.getByRole('listitem')).toHaveCount(2);
  await expect(bobLog.getByRole('listitem').nth(0)).toContainText('Hi Bob!');
  await expect(bobLog.getByRole('listitem').nth(1)).toContainText('Line one\nline two');
  await expect(bobLog.locator('time').first()).toBeVisible();
  await expect(conversationLink(b.page, alice.username)).not.toHaveAccessibleName(/unread/);

  await b.page.getByLabel('Message').fill('Hello Alice');
  await b.page.getByLabel('Message').press('Enter');
  const aliceLog = a.page.getByRole('log', { name: `Conversation with ${bob.username}` });
  const reply = aliceLog.getByRole('listitem').filter({ hasText: 'Hello Alice' });
  await expect(reply).toBeVisible();
  // Own messages are on the right, the friend's on the left.
  const own = aliceLog.getByRole('listitem').filter({ hasText: 'Hi Bob!' });
  await expect(own).toHaveClass(/message--own/);
  await expect(reply).not.toHaveClass(/message--own/);
  await expect(own.getByText('Sending…')).toHaveCount(0);

  // Mallory is no friend of Bob's: the server drops her message without an answer.
  const stranger = sdkClient(server, 1500);
  await stranger.connect();
  await stranger.login(mallory.username, mallory.password);
  const dropped = stranger.request('chat.send', { to: bobId, text: 'Buy cheap watches' });
  await expect(dropped).rejects.toMatchObject({ code: 'TIMEOUT' });
  stranger.close();
  // Had the server relayed it, it would arrive before this later message from a friend.
  await a.page.getByLabel('Message').fill('After the stranger');
  await a.page.getByLabel('Message').press('Enter');
  await expect(bobLog.getByText('After the stranger')).toBeVisible();
  await expect(b.page.getByText('Buy cheap watches')).toHaveCount(0);
  await expect(conversationLink(b.page, mallory.username)).toHaveCount(0);
  await Promise.all([a.context.close(), b.context.close()]);
});

import { expect, test, uniqueUser } from './fixtures';
import { conversationLink, createUser, openAs } from './helpers';

test('a group chat among three: create, find and join, members, messages, leave', async ({
  browser,
  server,
}) => {
  const [alice, bob, carol] = await Promise.all([
    createUser(server, 'alice'),
    createUser(server, 'bob'),
    createUser(server, 'carol'),
  ]);
  const [a, b, c] = await Promise.all([
    openAs(browser, server, alice),
    openAs(browser, server, bob),
    openAs(browser, server, carol),
  ]);
  const groupName = uniqueUser('Book club ');

  await a.page.getByLabel('Group name').fill(groupName);
  await a.page.getByRole('button', { name: 'Create group' }).click();
  await expect(a.page.getByRole('heading', { level: 1, name: groupName })).toBeVisible();

  for (const p of [b.page, c.page]) {
    await p.getByLabel('Find groups').fill(groupName.slice(0, 12));
    await p
      .locator('form')
      .filter({ has: p.getByLabel('Find groups') })
      .getByRole('button', { name: 'Search' })
      .click();
    await p.getByRole('button', { name: `Join ${groupName}` }).click();
    await expect(p.getByRole('heading', { level: 1, name: groupName })).toBeVisible();
  }

  // Alice's member list grew live; she is marked as the owner.
  const members = a.page.getByRole('list', { name: 'Members' });
  await expect(members.getByRole('listitem')).toHaveCount(3);
  await expect(members.getByRole('listitem').filter({ hasText: alice.username })).toContainText('Owner');
  await expect(members.getByRole('listitem').filter({ hasText: bob.username })).toContainText('Online');
  await expect(members.getByRole('listitem').filter({ hasText: bob.username })).not.toContainText('Owner');

  await a.page.getByLabel('Message').fill('Welcome, both of you');
  await a.page.getByLabel('Message').press('Enter');
  for (const p of [b.page, c.page]) {
    const log = p.getByRole('log', { name: `Conversation in ${groupName}` });
    await expect(log.getByRole('listitem').filter({ hasText: 'Welcome, both of you' })).toContainText(
      alice.username,
    );
  }

  await c.page.getByLabel('Message').fill('Thanks!');
  await c.page.getByRole('button', { name: 'Send' }).click();
  for (const p of [a.page, b.page]) {
    await expect(p.getByRole('log', { name: `Conversation in ${groupName}` })).toContainText('Thanks!');
  }
  // The sender's own copy is on the right and was acknowledged.
  const own = c.page.getByRole('listitem').filter({ hasText: 'Thanks!' });
  await expect(own).toHaveClass(/message--own/);

  // Bob leaves: the others' member lists shrink, and he no longer gets messages.
  await b.page.getByRole('button', { name: 'Leave group' }).click();
  await b.page.getByRole('dialog').getByRole('button', { name: 'Leave' }).click();
  await expect(conversationLink(b.page, groupName)).toHaveCount(0);
  await expect(members.getByRole('listitem')).toHaveCount(2);
  await expect(a.page.getByText('2 members').first()).toBeVisible();

  await Promise.all([a.context.close(), b.context.close(), c.context.close()]);
});

import { expect, test } from './fixtures';
import { conversationLink, createUser, openAs } from './helpers';

/**
 * R-GRP-33 and R-GRP-32 in the browser: a second group of a name Alice owns is created only after
 * she confirms; search and the sidebar tell the two apart; join and leave lines appear in the
 * conversation.
 */
test('R-GRP-33: same-named groups are told apart; join and leave lines show in the conversation', async ({
  browser,
  server,
}) => {
  test.slow();
  const [alice, bob] = await Promise.all([
    createUser(server, 'alice', 'Alice Wang'),
    createUser(server, 'bob', 'Bob Li'),
  ]);
  const a = await openAs(browser, server, alice);
  const b = await openAs(browser, server, bob);
  const name = `Lunch crew ${alice.username.slice(-4)}`;

  const create = async () => {
    await a.page.getByLabel('Group name').fill(name);
    await a.page.getByRole('button', { name: 'Create group' }).click();
  };
  await create();
  await expect(a.page.getByRole('heading', { name })).toBeVisible();
  await create();
  const ask = a.page.getByRole('dialog', { name: 'Create another group with this name?' });
  await expect(ask).toContainText('You already own a group called');
  await ask.getByRole('button', { name: 'Cancel' }).click();
  await expect(conversationLink(a.page, name)).toHaveCount(1);
  await create();
  await ask.getByRole('button', { name: 'Create another' }).click();
  await expect(conversationLink(a.page, name)).toHaveCount(2);
  // The sidebar adds owner and date to names that clash.
  await expect(conversationLink(a.page, name).first()).toContainText('by Alice Wang');

  await b.page.getByLabel('Find groups').fill(name);
  await b.page
    .locator('form')
    .filter({ has: b.page.getByLabel('Find groups') })
    .getByRole('button', { name: 'Search' })
    .click();
  const results = b.page.getByRole('list', { name: 'Groups found' });
  await expect(results.getByRole('listitem')).toHaveCount(2);
  await expect(results.getByRole('listitem').first()).toContainText('1 member · by Alice Wang · created');
  await b.page
    .getByRole('complementary', { name: 'Friends and groups' })
    .screenshot({ path: 'docs/screenshots/group-disambiguation.png', animations: 'disabled' });

  // Bob joins the first; Alice, in that group's conversation, sees him come and go.
  await conversationLink(a.page, name).first().click();
  await results
    .getByRole('button', { name: `Join ${name}` })
    .first()
    .click();
  const log = a.page.getByRole('log', { name: new RegExp(name) });
  await expect(log).toContainText('Bob Li joined the group');
  await b.page.getByRole('button', { name: /Leave/ }).click();
  await b.page.getByRole('dialog').getByRole('button', { name: /Leave/ }).click();
  await expect(log).toContainText('Bob Li left the group');
  await Promise.all([a.context.close(), b.context.close()]);
});

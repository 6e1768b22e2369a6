import { expect, test } from './fixtures';
import { asUser, befriend, conversationLink, createUser, logIn, userId } from './helpers';

// Two tabs of one account side by side (#13 "many devices"): both stay logged in, both show the
// conversation, messages sent from either tab appear in the other, and reading in one clears the
// badge in the other (R-MSG-10, R-HIST-5).
test('two tabs of one user: both logged in, same conversation, reads sync', async ({ browser, server }) => {
  const [alice, bob] = await Promise.all([createUser(server, 'two'), createUser(server, 'twob')]);
  await befriend(server, alice, bob);
  const aliceId = await userId(server, alice);
  const context = await browser.newContext({ baseURL: server.url });
  const [one, two] = [await context.newPage(), await context.newPage()];
  await logIn(one, alice);
  await logIn(two, alice);
  for (const page of [one, two]) {
    await expect(page.getByRole('status')).toHaveText('Connected');
    await expect(page.getByRole('button', { name: 'Log out' })).toBeVisible();
  }

  await asUser(server, bob, (c) => c.send(aliceId, 'Hello both of you'));
  for (const page of [one, two]) {
    await expect(conversationLink(page, bob.username)).toHaveAccessibleName(/1 unread/);
  }
  // Reading in the first tab clears the badge in the second (chat.read event).
  await conversationLink(one, bob.username).click();
  const log = (page: typeof one) => page.getByRole('log', { name: `Conversation with ${bob.username}` });
  await expect(log(one).getByText('Hello both of you')).toBeVisible();
  await expect(conversationLink(two, bob.username)).not.toHaveAccessibleName(/unread/);

  // What either tab sends shows in the other one too.
  await conversationLink(two, bob.username).click();
  await expect(log(two).getByText('Hello both of you')).toBeVisible();
  await one.getByLabel('Message').fill('Sent from tab one');
  await one.getByLabel('Message').press('Enter');
  await expect(log(two).getByText('Sent from tab one')).toBeVisible();
  await two.getByLabel('Message').fill('Sent from tab two');
  await two.getByLabel('Message').press('Enter');
  await expect(log(one).getByText('Sent from tab two')).toBeVisible();
  for (const page of [one, two]) {
    const items = log(page).getByRole('listitem');
    await expect(items).toHaveCount(3);
    await expect(items.nth(1)).toHaveClass(/message--own/);
    await expect(items.nth(2)).toHaveClass(/message--own/);
    await expect(page.getByRole('button', { name: 'Log out' })).toBeVisible();
  }
  await context.close();
});

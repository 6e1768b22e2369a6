import { expect, testWithServer } from './fixtures';
import { asUser, befriend, conversationLink, createUser, openAs, userId } from './helpers';

// Seeding 120 messages in a moment needs more than the default chat rate (10/s, burst 30).
const test = testWithServer({ CHAT_RATE_PER_SEC: '1000', CHAT_BURST: '1000' });

const log = (page: import('@playwright/test').Page, name: string) =>
  page.getByRole('log', { name: `Conversation with ${name}` });

test('a message to an offline friend is there at login, unread until opened', async ({ browser, server }) => {
  const [alice, bob] = await Promise.all([createUser(server, 'off'), createUser(server, 'offb')]);
  await befriend(server, alice, bob);
  const aliceId = await userId(server, alice);
  // Alice is offline: Bob writes twice (R-MSG-8: stored before acknowledged).
  await asUser(server, bob, async (c) => {
    await c.send(aliceId, 'You there?');
    await c.send(aliceId, 'Call me when you are back');
  });

  const a = await openAs(browser, server, alice);
  await expect(conversationLink(a.page, bob.username)).toHaveAccessibleName(/2 unread/);
  await conversationLink(a.page, bob.username).click();
  const items = log(a.page, bob.username).getByRole('listitem');
  await expect(items).toHaveCount(2);
  await expect(items.nth(0)).toContainText('You there?');
  await expect(items.nth(1)).toContainText('Call me when you are back');
  await expect(conversationLink(a.page, bob.username)).not.toHaveAccessibleName(/unread/);

  // Read on the server too (R-HIST-5): the next login finds nothing unread.
  await expect.poll(() => a.page.evaluate(() => document.querySelectorAll('.unread').length)).toBe(0);
  await a.context.close();
  const summary = await asUser(server, alice, (c) => c.sync());
  expect(summary.conversations).toMatchObject([{ lastSeq: 2, readSeq: 2, unread: 0 }]);
  const again = await openAs(browser, server, alice);
  await expect(conversationLink(again.page, bob.username)).toBeVisible();
  await expect(conversationLink(again.page, bob.username)).not.toHaveAccessibleName(/unread/);
  await again.context.close();
});

test('history survives a reload and a new login', async ({ browser, server }) => {
  const [alice, bob] = await Promise.all([createUser(server, 'his'), createUser(server, 'hisb')]);
  await befriend(server, alice, bob);
  const a = await openAs(browser, server, alice);
  const b = await openAs(browser, server, bob);
  await conversationLink(a.page, bob.username).click();
  await a.page.getByLabel('Message').fill('Kept for later');
  await a.page.getByLabel('Message').press('Enter');
  await conversationLink(b.page, alice.username).click();
  await expect(log(b.page, alice.username).getByText('Kept for later')).toBeVisible();
  await b.page.getByLabel('Message').fill('So is this');
  await b.page.getByLabel('Message').press('Enter');
  await expect(log(a.page, bob.username).getByText('So is this')).toBeVisible();

  const expectHistory = async () => {
    const items = log(a.page, bob.username).getByRole('listitem');
    await expect(items).toHaveCount(2);
    await expect(items.nth(0)).toContainText('Kept for later');
    await expect(items.nth(0)).toHaveClass(/message--own/);
    // Acknowledged; receipts (R-RCP-*) may already have moved it on to Delivered or Read.
    await expect(items.nth(0).getByText(/^(Sent|Delivered|Read)$/)).toBeAttached();
    await expect(items.nth(1)).toContainText('So is this');
  };
  await a.page.reload();
  await expectHistory();

  await a.page.getByRole('button', { name: 'Log out' }).click();
  await a.page.getByLabel('Username').fill(alice.username);
  await a.page.getByLabel('Password').fill(alice.password);
  await a.page.getByRole('button', { name: 'Log in' }).click();
  await conversationLink(a.page, bob.username).click();
  await expectHistory();
  await Promise.all([a.context.close(), b.context.close()]);
});

test('scrolling up loads older messages and keeps the place', async ({ browser, server }) => {
  const [alice, bob] = await Promise.all([createUser(server, 'scr'), createUser(server, 'scrb')]);
  await befriend(server, alice, bob);
  const bobId = await userId(server, bob);
  const text = (i: number) => `seed ${String(i).padStart(3, '0')}`;
  await asUser(server, alice, async (c) => {
    for (let i = 1; i <= 120; i++) await c.send(bobId, text(i));
  });

  const a = await openAs(browser, server, alice);
  await conversationLink(a.page, bob.username).click();
  const list = log(a.page, bob.username);
  const items = list.getByRole('listitem');
  // The newest page first, scrolled to the end.
  await expect(items).toHaveCount(50);
  await expect(items.first()).toContainText(text(71));
  await expect(list.getByText(text(120), { exact: true })).toBeInViewport();

  await list.evaluate((el) => {
    el.scrollTop = 0;
  });
  await expect(items).toHaveCount(100);
  await expect(items.first()).toContainText(text(21));
  // The message that was at the top is still in view: the page went in above it.
  await expect(list.getByText(text(71), { exact: true })).toBeInViewport();
  expect(await list.evaluate((el) => el.scrollTop)).toBeGreaterThan(0);

  await list.evaluate((el) => {
    el.scrollTop = 0;
  });
  await expect(items).toHaveCount(120);
  await expect(items.first()).toContainText(text(1));
  await expect(list.getByText(text(21), { exact: true })).toBeInViewport();
  await a.context.close();
});

test('a send the server never answers turns failed; Retry sends it once', async ({ browser, server }) => {
  const [alice, bob] = await Promise.all([createUser(server, 'ret'), createUser(server, 'retb')]);
  await befriend(server, alice, bob);
  const a = await openAs(browser, server, alice);
  const b = await openAs(browser, server, bob);
  await conversationLink(a.page, bob.username).click();
  await conversationLink(b.page, alice.username).click();
  const sent = log(a.page, bob.username).getByRole('listitem').filter({ hasText: 'Through the stall' });

  // The server process stalls (a long pause, an overloaded host): the socket stays open, the
  // request goes unanswered past the SDK's 10 s timeout.
  server.process.kill('SIGSTOP');
  try {
    await a.page.getByLabel('Message').fill('Through the stall');
    await a.page.getByLabel('Message').press('Enter');
    await expect(sent.getByText('Sending…')).toBeVisible();
    await expect(sent.getByText('Not delivered')).toBeVisible({ timeout: 20_000 });
  } finally {
    server.process.kill('SIGCONT');
  }
  // The server read the send when it woke and stored it; Bob has it, once.
  const atBob = log(b.page, alice.username).getByText('Through the stall');
  await expect(atBob).toHaveCount(1);

  // Retry sends the same clientId: the server answers the original ack (R-MSG-9).
  await sent.getByRole('button', { name: 'Retry' }).click();
  await expect(sent.getByText(/^(Sent|Delivered|Read)$/)).toBeAttached();
  await expect(sent.getByText('Not delivered')).toHaveCount(0);
  await b.page.reload();
  await expect(log(b.page, alice.username).getByRole('listitem')).toHaveCount(1);
  await expect(atBob).toHaveCount(1);
  await a.page.reload();
  await expect(log(a.page, bob.username).getByRole('listitem')).toHaveCount(1);
  await Promise.all([a.context.close(), b.context.close()]);
});

import { expect, test } from './fixtures';
import { asUser, befriend, conversationLink, createUser, logIn, newPage, openAs, userId } from './helpers';

/**
 * The operator console (#17) with reporting (#15): log in with the token, see the node, find a
 * user, send them a notice, kick them; a message reported in chat shows up in the console, and a
 * suspension from there ends the user's session and refuses their login.
 */
test('R-ADM-8, R-ADM-1, R-ADM-5, R-RPT-1, R-MOD-2: the operator console end to end', async ({
  browser,
  server,
}) => {
  // Three browsers and a dozen steps: longer than the default minute on a busy machine.
  test.setTimeout(240_000);
  const [alice, bob] = await Promise.all([createUser(server, 'alice'), createUser(server, 'bob')]);
  await befriend(server, alice, bob);
  const aliceId = await userId(server, alice);
  await asUser(server, bob, (c) =>
    c.request('chat.send', { to: aliceId, text: 'send me your password now' }),
  );
  const [a, b] = await Promise.all([openAs(browser, server, alice), openAs(browser, server, bob)]);

  // The console: the token goes into a password field and nowhere else.
  const op = await newPage(browser, server);
  // The console runs under the app's Content-Security-Policy without a violation (R-SEC-14).
  const violations: string[] = [];
  op.page.on('console', (m) => {
    if (/Content Security Policy/i.test(m.text())) violations.push(m.text());
  });
  const res = await op.page.goto('/admin');
  expect(res?.headers()['content-security-policy']).toContain("script-src 'self'");
  await op.page.getByLabel('Admin token').fill('wrong-token');
  await op.page.getByRole('button', { name: 'Open console' }).click();
  await expect(op.page.getByRole('alert')).toHaveText('Wrong token.');
  await op.page.getByLabel('Admin token').fill(server.adminToken);
  await op.page.getByRole('button', { name: 'Open console' }).click();
  await expect(op.page.getByRole('heading', { name: 'Operator console' })).toBeVisible();
  expect(op.page.url()).not.toContain(server.adminToken);
  const stored = await op.page.evaluate(
    () => JSON.stringify({ ...localStorage }) + JSON.stringify({ ...sessionStorage }),
  );
  expect(stored).not.toContain(server.adminToken);
  expect(await op.context.cookies()).toEqual([]);

  // Nodes: this one, serving, with the two browsers' sessions.
  const nodes = op.page.getByRole('table', { name: 'Nodes' });
  await expect(nodes).toContainText('this node');
  await expect(nodes).toContainText('serving');
  await expect(op.page.getByTestId('online-count')).not.toHaveText('…');

  // Find Bob: online.
  await op.page.getByLabel('Find a user by name').fill(bob.username);
  await op.page.getByRole('button', { name: 'Find' }).click();
  const bobRow = op.page
    .getByRole('list', { name: 'Users found' })
    .getByRole('listitem')
    .filter({ hasText: `@${bob.username}` });
  await expect(bobRow).toContainText('online');

  // A notice to Bob alone.
  await bobRow.getByRole('button', { name: 'Notice' }).click();
  await op.page.getByLabel(`Notice to ${bob.username}`, { exact: true }).fill('Please read the house rules.');
  await op.page.getByRole('button', { name: 'Send notice' }).click();
  await expect(b.page.getByRole('region', { name: 'Notices' })).toContainText('Please read the house rules.');
  await expect(a.page.getByText('Please read the house rules.')).toHaveCount(0);

  // Kick: Bob's page is signed out and says why; he can log in again.
  await bobRow.getByRole('button', { name: 'Kick' }).click();
  await op.page.getByRole('dialog').getByRole('button', { name: 'Kick' }).click();
  await expect(b.page.getByText('An operator signed you out.')).toBeVisible();
  await logIn(b.page, bob);

  // Alice reports Bob's message from the chat.
  await conversationLink(a.page, bob.username).click();
  const message = a.page
    .getByRole('log')
    .getByRole('listitem')
    .filter({ hasText: 'send me your password now' });
  await message.getByRole('button', { name: 'Report' }).click();
  const dialog = a.page.getByRole('dialog', { name: /^Report a message/ });
  await dialog.getByLabel('What is wrong?').selectOption('spam');
  await dialog.getByLabel('Details (optional)').fill('phishing');
  await dialog.getByRole('button', { name: 'Send report' }).click();
  await expect(dialog).toContainText('Thank you');
  await dialog.getByRole('button', { name: 'Close' }).click();

  // It appears in the console with the shared text; a suspension from there ends Bob's session.
  const report = op.page
    .getByRole('list', { name: 'Reports' })
    .getByRole('listitem')
    .filter({ hasText: `@${bob.username}` });
  await expect(report).toContainText('send me your password now');
  await expect(report).toContainText('phishing');
  await expect(report).toContainText(`reported by @${alice.username}`);
  // The charts have points once two samples came in.
  await expect(op.page.getByTestId('chart-sessions')).not.toHaveText('–');
  if (process.env.UPDATE_SCREENSHOTS) {
    await op.page.setViewportSize({ width: 1280, height: 1100 });
    await op.page.screenshot({ path: 'docs/screenshots/admin-console.png', fullPage: true });
  }
  await report.getByRole('button', { name: 'Suspend' }).click();
  const suspend = op.page.getByRole('dialog', { name: new RegExp(`^Suspend ${bob.username}`) });
  await suspend.getByLabel('Reason (kept in the moderation log)').fill('phishing');
  await suspend.getByRole('button', { name: 'Suspend' }).click();
  await expect(b.page.getByText('An operator suspended this account.')).toBeVisible();
  await expect(op.page.getByRole('list', { name: 'Moderation actions' })).toContainText(
    `@${bob.username} suspended`,
  );

  // Bob's login is refused with the date.
  await b.page.getByLabel('Username').fill(bob.username);
  await b.page.getByLabel('Password').fill(bob.password);
  await b.page.getByRole('button', { name: 'Log in' }).click();
  await expect(b.page.getByRole('alert')).toContainText('This account is suspended until');

  expect(violations).toEqual([]);
  await Promise.all([a.context.close(), b.context.close(), op.context.close()]);
});

import { expect, test } from './fixtures';
import { asUser, befriend, conversationLink, createUser, openAs, sdkClient, userId } from './helpers';

/**
 * R-BLK-9: blocking from the web client. Alice blocks Bob from their conversation; Bob's
 * messages and call offers (sent with the SDK, as a modified client could) never reach her page,
 * and she finds him in her blocked list in Profile and account, where she unblocks him.
 */
test('R-BLK-9: block stops messages and calls; the blocked list unblocks', async ({ browser, server }) => {
  // Three browsers' worth of logins and an SDK client: the default 60 s is tight on a shared machine.
  test.slow();
  const [alice, bob, carol] = await Promise.all([
    createUser(server, 'alice', 'Alice Wang'),
    createUser(server, 'bob', 'Bob Li'),
    createUser(server, 'carol', 'Carol'),
  ]);
  await befriend(server, alice, bob);
  await befriend(server, alice, carol);
  const aliceId = await userId(server, alice);
  const a = await openAs(browser, server, alice);
  const b = await openAs(browser, server, bob);

  await conversationLink(a.page, 'Bob Li').click();
  await a.page.getByRole('main').getByRole('button', { name: 'Block Bob Li' }).click();
  const dialog = a.page.getByRole('dialog', { name: 'Block Bob Li?' });
  await expect(dialog).toContainText('They are not told.');
  await dialog.getByRole('button', { name: 'Block' }).click();
  // No longer friends, on both sides; Bob's page shows a removal, nothing about a block.
  await expect(conversationLink(a.page, 'Bob Li')).toHaveCount(0);
  await expect(conversationLink(b.page, 'Alice Wang')).toHaveCount(0);
  await expect(b.page.getByText(/blocked/i)).toHaveCount(0);

  // Bob tries anyway, with a client of his own: a message and a call offer. Neither is answered.
  const bobSdk = sdkClient(server, 3000);
  await bobSdk.connect();
  await bobSdk.login(bob.username, bob.password);
  const msg = bobSdk.request('chat.send', { to: aliceId, text: 'can you hear me?' }).then(
    () => 'answered',
    (e: unknown) => (e instanceof Error && /time/i.test(e.message) ? 'silent' : String(e)),
  );
  const call = bobSdk
    .request('rtc.signal', { to: aliceId, callId: 'blocked-call', kind: 'offer', sdp: 'v=0', media: 'video' })
    .then(
      () => 'answered',
      (e: unknown) => (e instanceof Error && /time/i.test(e.message) ? 'silent' : String(e)),
    );
  // Requests of one connection are handled in order: this answer means both were handled.
  await bobSdk.request('sys.heartbeat', {});
  // Carol's message, sent afterwards, reaches Alice: anything of Bob's would have come first.
  await asUser(server, carol, (c) => c.request('chat.send', { to: aliceId, text: 'hello from Carol' }));
  await conversationLink(a.page, 'Carol').click();
  await expect(a.page.getByRole('log', { name: 'Conversation with Carol' })).toContainText(
    'hello from Carol',
  );
  expect(await msg).toBe('silent');
  expect(await call).toBe('silent');
  await expect(a.page.getByRole('button', { name: 'Accept direct connection' })).toHaveCount(0);
  await expect(a.page.getByText('can you hear me?')).toHaveCount(0);
  bobSdk.close();

  // The blocked list in account settings.
  await a.page.getByRole('button', { name: 'Alice Wang' }).click();
  const list = a.page.getByRole('list', { name: 'Blocked users' });
  await expect(list).toContainText('Bob Li');
  await expect(list).toContainText(`@${bob.username}`);
  await a.page
    .getByRole('region', { name: 'Blocked users' })
    .screenshot({ path: 'docs/screenshots/blocked-list.png', animations: 'disabled' });
  await list.getByRole('button', { name: 'Unblock Bob Li' }).click();
  await expect(a.page.getByText('You have not blocked anyone.')).toBeVisible();
  await Promise.all([a.context.close(), b.context.close()]);
});

import type { EventBody } from '@imw/shared';
import type { ImClient } from '@imw/shared/sdk';
import { expect, test } from './fixtures';
import { befriend, conversationLink, createUser, openAs, sdkClient, type User, userId } from './helpers';

const SDP = 'v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n';

async function online(server: Parameters<typeof sdkClient>[0], user: User): Promise<ImClient> {
  const c = sdkClient(server);
  await c.connect();
  await c.login(user.username, user.password);
  return c;
}

/**
 * R-SEC-6 (review L2): while a direct-connection offer is open, the web client used to answer any
 * second offer with an automatic hang-up ("busy"). Coming from someone the caller sees offline,
 * that instant answer says they are online. An invisible user now stays silent; a visible one
 * still answers busy (the control half, which also proves the barrier below would catch a hang-up).
 */
test('R-SEC-6: an invisible user ignores a second direct offer without a word; a visible one answers busy', async ({
  browser,
  server,
}) => {
  const [victim, first, second] = await Promise.all([
    createUser(server, 'vis'),
    createUser(server, 'caller'),
    createUser(server, 'prober'),
  ]);
  await befriend(server, first, victim);
  await befriend(server, second, victim);
  const victimId = await userId(server, victim);
  const v = await openAs(browser, server, victim, { invisible: true });
  const [a, b] = await Promise.all([online(server, first), online(server, second)]);
  const toB: EventBody<'rtc.signal'>[] = [];
  b.on('rtc.signal', (s) => toB.push(s));

  // A friend's offer is open on the invisible user's screen.
  await a.request('rtc.signal', {
    to: victimId,
    callId: 'call-first',
    kind: 'offer',
    sdp: SDP,
    media: 'data',
  });
  await expect(v.page.getByRole('region', { name: 'Direct connection request' })).toContainText(
    first.username,
  );

  // A second friend, who sees the user offline, offers too, then writes; the user answers the
  // message from the page. The server relays each side's traffic in order, so a hang-up would
  // have reached the prober before the reply does.
  await b.request('rtc.signal', {
    to: victimId,
    callId: 'call-probe',
    kind: 'offer',
    sdp: SDP,
    media: 'data',
  });
  await b.request('chat.send', { to: victimId, text: 'are you there?' });
  await conversationLink(v.page, second.username).click();
  const log = v.page.getByRole('log', { name: `Conversation with ${second.username}` });
  await expect(log.getByRole('listitem').filter({ hasText: 'are you there?' })).toBeVisible();
  const replied = new Promise<void>((resolve) =>
    b.on('chat.message', (m) => {
      if (m.text === 'typing from the page') resolve();
    }),
  );
  await v.page.getByLabel('Message').fill('typing from the page');
  await v.page.getByLabel('Message').press('Enter');
  await replied;
  expect(toB).toEqual([]);

  // Visible again: the same probe gets the busy hang-up.
  await v.page.getByLabel('Status').selectOption('online');
  await b.request('rtc.signal', {
    to: victimId,
    callId: 'call-probe-2',
    kind: 'offer',
    sdp: SDP,
    media: 'data',
  });
  await expect.poll(() => toB.map((s) => `${s.kind} ${s.callId}`)).toEqual(['hangup call-probe-2']);

  a.close();
  b.close();
  await v.context.close();
});

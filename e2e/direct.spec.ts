import type { Page } from '@playwright/test';
import { expect, test } from './fixtures';
import { befriend, conversationLink, createUser, openAs, type User } from './helpers';

/** The state of the ICE candidate pair the connection selected, as getStats() reports it. */
function selectedPairState(page: Page): Promise<string> {
  return page.evaluate(async () => {
    const pc = window.__imwRtc?.pc();
    if (!pc) return 'no connection';
    const stats = await pc.getStats();
    let state = 'no selected pair';
    stats.forEach((report: { type: string; selectedCandidatePairId?: string }) => {
      if (report.type !== 'transport' || !report.selectedCandidatePairId) return;
      state = (stats.get(report.selectedCandidatePairId) as { state?: string } | undefined)?.state ?? state;
    });
    return state;
  });
}

function dataChannelMessages(page: Page, kind: 'messagesSent' | 'messagesReceived'): Promise<number> {
  return page.evaluate(async (k) => {
    const stats = await window.__imwRtc?.pc()?.getStats();
    let n = 0;
    stats?.forEach((r: Record<string, unknown>) => {
      if (r.type === 'data-channel' && typeof r[k] === 'number') n += r[k] as number;
    });
    return n;
  }, kind);
}

async function openConversation(page: Page, friend: User) {
  await conversationLink(page, friend.username).click();
  await expect(page.getByRole('heading', { level: 1, name: friend.username })).toBeVisible();
}

const directState = (page: Page) => page.getByRole('region', { name: 'Direct connection', exact: true });

test('a direct connection: the data channel carries chat peer to peer', async ({ browser, server }) => {
  const [alice, bob] = await Promise.all([createUser(server, 'alice'), createUser(server, 'bob')]);
  await befriend(server, alice, bob);
  const [a, b] = await Promise.all([openAs(browser, server, alice), openAs(browser, server, bob)]);
  await openConversation(a.page, bob);

  await a.page.getByRole('button', { name: 'Direct' }).click();
  await expect(directState(a.page)).toContainText('Waiting for your friend');
  const request = b.page.getByRole('region', { name: 'Direct connection request' });
  await expect(request).toContainText(alice.username);
  await request.getByRole('button', { name: 'Accept direct connection' }).click();

  for (const p of [a.page, b.page]) await expect(directState(p)).toContainText('Direct (peer-to-peer)');
  for (const p of [a.page, b.page]) await expect.poll(() => selectedPairState(p)).toBe('succeeded');

  await a.page.getByLabel('Message').fill('This one skips the server');
  await a.page.getByLabel('Message').press('Enter');
  const received = b.page
    .getByRole('log', { name: `Conversation with ${alice.username}` })
    .getByRole('listitem')
    .filter({ hasText: 'This one skips the server' });
  await expect(received).toContainText('Direct (peer-to-peer)');
  await expect.poll(() => dataChannelMessages(a.page, 'messagesSent')).toBeGreaterThanOrEqual(1);
  await expect.poll(() => dataChannelMessages(b.page, 'messagesReceived')).toBeGreaterThanOrEqual(1);

  await b.page.getByLabel('Message').fill('Got it, directly');
  await b.page.getByRole('button', { name: 'Send' }).click();
  await expect(a.page.getByRole('listitem').filter({ hasText: 'Got it, directly' })).toContainText(
    'Direct (peer-to-peer)',
  );

  // Hanging up closes both ends.
  await a.page.getByRole('button', { name: 'Hang up' }).click();
  await expect(b.page.getByText('Your friend hung up.')).toBeVisible();
  for (const p of [a.page, b.page]) {
    await expect.poll(() => p.evaluate(() => window.__imwRtc?.pc() ?? null)).toBeNull();
  }
  await Promise.all([a.context.close(), b.context.close()]);
});

test('glare: both friends press Direct at once and get one connection', async ({ browser, server }) => {
  const [alice, bob] = await Promise.all([createUser(server, 'alice'), createUser(server, 'bob')]);
  await befriend(server, alice, bob);
  const [a, b] = await Promise.all([openAs(browser, server, alice), openAs(browser, server, bob)]);
  await openConversation(a.page, bob);
  await openConversation(b.page, alice);

  await Promise.all([
    a.page.getByRole('button', { name: 'Direct' }).click(),
    b.page.getByRole('button', { name: 'Direct' }).click(),
  ]);
  for (const p of [a.page, b.page]) {
    await expect(directState(p)).toContainText('Direct (peer-to-peer)');
    await expect.poll(() => selectedPairState(p)).toBe('succeeded');
    await expect(p.getByRole('region', { name: 'Direct connection request' })).toHaveCount(0);
  }
  await Promise.all([a.context.close(), b.context.close()]);
});

test('declining a direct connection tells the caller', async ({ browser, server }) => {
  const [alice, bob] = await Promise.all([createUser(server, 'alice'), createUser(server, 'bob')]);
  await befriend(server, alice, bob);
  const [a, b] = await Promise.all([openAs(browser, server, alice), openAs(browser, server, bob)]);
  await openConversation(a.page, bob);
  await a.page.getByRole('button', { name: 'Direct' }).click();
  await b.page.getByRole('button', { name: 'Decline direct connection' }).click();
  await expect(a.page.getByText('Your friend declined the direct connection.')).toBeVisible();
  await expect.poll(() => a.page.evaluate(() => window.__imwRtc?.pc() ?? null)).toBeNull();
  await Promise.all([a.context.close(), b.context.close()]);
});

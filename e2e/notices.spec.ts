import { expect, test } from './fixtures';
import { createUser, openAs } from './helpers';

test('a system notice and an ad from the admin API reach everyone, strangers included', async ({
  browser,
  server,
}) => {
  const [alice, bob] = await Promise.all([createUser(server, 'alice'), createUser(server, 'bob')]);
  // Alice chats, Bob walks in the world: notices reach both modes.
  const [a, b] = await Promise.all([
    openAs(browser, server, alice),
    openAs(browser, server, bob, { mode: 'World', map: 'Plaza' }),
  ]);

  const post = (path: string, data: unknown) =>
    fetch(`${server.url}${path}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${server.adminToken}`, 'content-type': 'application/json' },
      body: JSON.stringify(data),
    });

  const res = await post('/admin/system', { text: 'Maintenance at 22:00 UTC' });
  expect(res.status).toBe(200);
  for (const p of [a.page, b.page]) {
    await expect(p.getByRole('region', { name: 'Notices' })).toContainText('Maintenance at 22:00 UTC');
  }

  expect(
    (
      await post('/admin/ad', {
        title: 'Spring sale',
        text: 'Hats half price',
        link: 'https://example.com/hats',
      })
    ).status,
  ).toBe(200);
  const ad = a.page
    .getByRole('region', { name: 'Notices' })
    .getByRole('listitem')
    .filter({ hasText: 'Spring sale' });
  await expect(ad).toContainText('Hats half price');
  await expect(ad.getByRole('link')).toHaveAttribute('href', 'https://example.com/hats');

  // A wrong token is refused and shows nothing.
  const bad = await fetch(`${server.url}/admin/system`, {
    method: 'POST',
    headers: { authorization: 'Bearer wrong', 'content-type': 'application/json' },
    body: JSON.stringify({ text: 'forged' }),
  });
  expect(bad.status).toBe(401);

  await a.page
    .getByRole('region', { name: 'Notices' })
    .getByRole('listitem')
    .filter({ hasText: 'Maintenance' })
    .getByRole('button', { name: 'Dismiss notice' })
    .click();
  await expect(a.page.getByText('Maintenance at 22:00 UTC')).toHaveCount(0);
  await expect(a.page.getByText('forged')).toHaveCount(0);

  await Promise.all([a.context.close(), b.context.close()]);
});

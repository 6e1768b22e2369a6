import type { Page } from '@playwright/test';
import { expect, testWithServer } from './fixtures';
import { asUser, befriend, conversationLink, createUser, logIn, newPage, userId } from './helpers';

// Seeding 60 messages for the search flow needs more than the default chat rate.
const test = testWithServer({ CHAT_RATE_PER_SEC: '1000', CHAT_BURST: '1000' });

const log = (page: Page, name: string) => page.getByRole('log', { name: `Conversation with ${name}` });

/** Records CSP violations (R-SEC-14): the rich message UI must run under the page's policy. */
async function watchCsp(page: Page): Promise<string[]> {
  const violations: string[] = [];
  await page.exposeFunction('__cspViolation', (v: string) => violations.push(v));
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => {
      (window as unknown as { __cspViolation(v: string): void }).__cspViolation(
        `${e.violatedDirective} ${e.blockedURI}`,
      );
    });
  });
  page.on('console', (m) => {
    if (/Content Security Policy/i.test(m.text())) violations.push(m.text());
  });
  return violations;
}

test('an image pasted, a reaction, a reply and a recall, seen on the other side', async ({
  browser,
  server,
}) => {
  const [alice, bob] = await Promise.all([createUser(server, 'img'), createUser(server, 'imgb')]);
  await befriend(server, alice, bob);
  const a = await newPage(browser, server);
  const b = await newPage(browser, server);
  const cspA = await watchCsp(a.page);
  const cspB = await watchCsp(b.page);
  await logIn(a.page, alice);
  await logIn(b.page, bob);
  await conversationLink(a.page, bob.username).click();
  await conversationLink(b.page, alice.username).click();

  // Paste an image (made on a canvas) into Alice's message box.
  await a.page.getByLabel('Message').focus();
  await a.page.evaluate(async () => {
    const canvas = document.createElement('canvas');
    canvas.width = 40;
    canvas.height = 30;
    const ctx = canvas.getContext('2d');
    if (ctx) {
      ctx.fillStyle = '#c33';
      ctx.fillRect(0, 0, 40, 30);
    }
    const blob = await new Promise<Blob>((r) => canvas.toBlob((b) => r(b as Blob), 'image/png'));
    const dt = new DataTransfer();
    dt.items.add(new File([blob], 'pasted.png', { type: 'image/png' }));
    document.activeElement?.dispatchEvent(new ClipboardEvent('paste', { clipboardData: dt, bubbles: true }));
  });
  const img = log(b.page, alice.username).getByRole('img', { name: 'Image pasted.png' });
  await expect(img).toBeVisible();
  await expect.poll(() => img.evaluate((el) => (el as HTMLImageElement).naturalWidth)).toBe(40);

  // Bob reacts; Alice sees the count and who.
  const bobItem = log(b.page, alice.username).getByRole('listitem').last();
  await bobItem.getByRole('button', { name: 'Add a reaction' }).click();
  await bobItem.getByRole('menuitem', { name: '🎉' }).click();
  const reaction = log(a.page, bob.username).getByRole('button', { name: /🎉 1/ });
  await expect(reaction).toBeVisible();
  await expect(reaction).toHaveAttribute('title', new RegExp(bob.username.slice(0, 3), 'i'));

  // Bob replies to it; Alice sees the quote.
  await bobItem.getByRole('button', { name: 'Reply' }).click();
  await b.page.getByLabel('Message').fill('Nice picture');
  await b.page.getByLabel('Message').press('Enter');
  const reply = log(a.page, bob.username).getByRole('listitem').filter({ hasText: 'Nice picture' });
  await expect(reply.getByRole('button', { name: /pasted\.png|Attachment/ })).toBeVisible();

  // Alice recalls the image: Bob sees the line, and no image.
  const aliceItem = log(a.page, bob.username)
    .getByRole('listitem')
    .filter({ has: a.page.getByRole('img') });
  await aliceItem.getByRole('button', { name: 'Recall' }).click();
  await expect(log(b.page, alice.username).getByText(/recalled a message/)).toBeVisible();
  await expect(log(b.page, alice.username).getByRole('img')).toHaveCount(0);
  await expect(log(a.page, bob.username).getByText('You recalled a message')).toBeVisible();

  expect(cspA).toEqual([]);
  expect(cspB).toEqual([]);
  await a.context.close();
  await b.context.close();
});

test('a file dropped on the conversation uploads with a progress bar and arrives', async ({
  browser,
  server,
}) => {
  const [alice, bob] = await Promise.all([createUser(server, 'drop'), createUser(server, 'dropb')]);
  await befriend(server, alice, bob);
  const a = await newPage(browser, server);
  const b = await newPage(browser, server);
  await logIn(a.page, alice);
  await logIn(b.page, bob);
  await conversationLink(a.page, bob.username).click();
  await conversationLink(b.page, alice.username).click();
  // Watch for the progress bar: it may come and go within a frame on a local upload.
  await a.page.evaluate(() => {
    const w = window as unknown as { __progressSeen: boolean };
    w.__progressSeen = false;
    new MutationObserver(() => {
      if (document.querySelector('progress')) w.__progressSeen = true;
    }).observe(document.body, { childList: true, subtree: true });
  });
  await a.page.evaluate(() => {
    const dt = new DataTransfer();
    const bytes = new Uint8Array(3 * 1024 * 1024).fill(65);
    dt.items.add(new File([bytes], 'report.txt', { type: 'text/plain' }));
    const target = document.querySelector('[aria-label="Drop files to send them"]');
    target?.dispatchEvent(new DragEvent('dragover', { dataTransfer: dt, bubbles: true, cancelable: true }));
    target?.dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }));
  });
  const link = log(b.page, alice.username).getByRole('link', { name: /Download report\.txt \(3\.0 MB\)/ });
  await expect(link).toBeVisible();
  expect(await a.page.evaluate(() => (window as unknown as { __progressSeen: boolean }).__progressSeen)).toBe(
    true,
  );
  const download = await Promise.all([b.page.waitForEvent('download'), link.click()]).then(([d]) => d);
  expect(download.suggestedFilename()).toBe('report.txt');
  await a.context.close();
  await b.context.close();
});

test('a search finds an old message and jumps to it', async ({ browser, server }) => {
  const [alice, bob] = await Promise.all([createUser(server, 'srch'), createUser(server, 'srchb')]);
  await befriend(server, alice, bob);
  const aliceId = await userId(server, alice);
  await asUser(server, bob, async (c) => {
    await c.send(aliceId, '春节的火车票买好了 (train tickets)');
    // More than a page after it, so it is not loaded when the conversation opens.
    for (let i = 0; i < 60; i++) await c.send(aliceId, `filler ${i}`);
  });
  const a = await newPage(browser, server);
  await logIn(a.page, alice);
  await a.page.getByLabel('Search chats and people').fill('火车票');
  await a.page.getByLabel('Search chats and people').press('Enter');
  await a.page.getByRole('button', { name: /春节的火车票买好了/ }).click();
  const target = log(a.page, bob.username).getByRole('listitem').filter({ hasText: '春节的火车票买好了' });
  await expect(target).toBeVisible();
  await expect(target).toHaveClass(/message--highlight/);
  await expect(target).toBeInViewport();
  await a.context.close();
});

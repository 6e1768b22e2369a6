import type { Browser, Page } from '@playwright/test';
import { expect, type RunningServer, test } from './fixtures';
import { asUser, befriend, createUser, type User } from './helpers';

/** A browser whose own language is `locale` (navigator.languages and Accept-Language). */
async function openIn(browser: Browser, server: RunningServer, locale: string) {
  const context = await browser.newContext({ baseURL: server.url, locale });
  const page = await context.newPage();
  return { context, page };
}

/** Logs in through the Chinese form. */
async function logInZh(page: Page, user: User, world = false): Promise<void> {
  await page.goto('/#/login');
  await page.getByLabel('用户名').fill(user.username);
  await page.getByLabel('密码').fill(user.password);
  if (world) await page.getByLabel('世界').check();
  await page.getByRole('button', { name: '登录' }).click();
  await expect(page.getByRole('button', { name: '退出登录' })).toBeVisible();
}

test('R-I18N-2: a browser in Chinese gets the Chinese interface; the header switch changes it at once', async ({
  browser,
  server,
}) => {
  const { context, page } = await openIn(browser, server, 'zh-CN');
  await page.goto('/#/login');
  await expect(page.getByRole('heading', { name: '欢迎回来' })).toBeVisible();
  await expect(page.getByRole('status')).toHaveText('已连接');
  await expect(page.locator('html')).toHaveAttribute('lang', 'zh-CN');

  await page.getByLabel('语言').selectOption('en');
  await expect(page.getByRole('heading', { name: 'Welcome back' })).toBeVisible();
  await expect(page.getByRole('status')).toHaveText('Connected');
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');
  // This device remembers the choice across a reload, before anyone logs in.
  await page.reload();
  await expect(page.getByRole('heading', { name: 'Welcome back' })).toBeVisible();
  await page.getByLabel('Language').selectOption('zh-CN');
  await expect(page.getByRole('button', { name: '登录' })).toBeVisible();
  await context.close();
});

test('R-I18N-3: the language follows the user: saved to the account, applied at login on another device, live', async ({
  browser,
  server,
}) => {
  const user = await createUser(server, 'lang', 'Li Lei');
  // Device A reads English; the user switches to Chinese once logged in.
  const a = await openIn(browser, server, 'en-US');
  await a.page.goto('/#/login');
  await a.page.getByLabel('Username').fill(user.username);
  await a.page.getByLabel('Password').fill(user.password);
  await a.page.getByRole('button', { name: 'Log in' }).click();
  await expect(a.page.getByRole('heading', { name: 'Welcome, Li Lei' })).toBeVisible();
  await a.page.getByLabel('Language').selectOption('zh-CN');
  await expect(a.page.getByRole('heading', { name: '欢迎，Li Lei' })).toBeVisible();
  await expect.poll(() => asUser(server, user, (c) => c.settings.get())).toEqual({ language: 'zh-CN' });

  // A reload keeps it (the session resumes in Chinese).
  await a.page.reload();
  await expect(a.page.getByRole('heading', { name: '欢迎，Li Lei' })).toBeVisible();

  // Device B is a fresh English browser: the login page is English, the account makes it Chinese.
  const b = await openIn(browser, server, 'en-US');
  await b.page.goto('/#/login');
  await b.page.getByLabel('Username').fill(user.username);
  await b.page.getByLabel('Password').fill(user.password);
  await b.page.getByRole('button', { name: 'Log in' }).click();
  await expect(b.page.getByRole('heading', { name: '欢迎，Li Lei' })).toBeVisible();

  // A change on B reaches A while both are open (settings.changed).
  await b.page.getByLabel('语言').selectOption('en');
  await expect(b.page.getByRole('button', { name: 'Log out' })).toBeVisible();
  await expect(a.page.getByRole('button', { name: 'Log out' })).toBeVisible();
  await a.context.close();
  await b.context.close();
});

test('R-I18N-4, R-I18N-5, R-I18N-6: errors, plurals and the map in Chinese; never the server’s text', async ({
  browser,
  server,
}) => {
  const user = await createUser(server, 'zhuser', '韩梅梅');
  const friend = await createUser(server, 'zhfriend', 'Lucy');
  await befriend(server, user, friend);
  const { context, page } = await openIn(browser, server, 'zh-CN');

  // A wrong password: the code's sentence in Chinese.
  await page.goto('/#/login');
  await page.getByLabel('用户名').fill(user.username);
  await page.getByLabel('密码').fill('not the password');
  await page.getByRole('button', { name: '登录' }).click();
  await expect(page.getByRole('alert')).toHaveText('用户名或密码错误');

  await logInZh(page, user);
  await expect(page.getByRole('heading', { name: '欢迎，韩梅梅' })).toBeVisible();
  const sidebar = page.getByRole('complementary', { name: '好友和群组' });
  await expect(sidebar.getByRole('link', { name: /Lucy/ })).toContainText('离线');

  // The server refuses a malformed username with English validation text: the page says it in Chinese.
  const add = sidebar.getByLabel('好友的用户名');
  await add.fill('not a name!');
  await sidebar.getByRole('button', { name: '添加好友' }).click();
  await expect(sidebar.getByRole('alert')).toHaveText('这不是一个有效的用户名。');
  await add.fill(user.username);
  await sidebar.getByRole('button', { name: '添加好友' }).click();
  await expect(sidebar.getByRole('alert')).toHaveText('这是你自己。请输入其他人的用户名。');
  await expect(page.getByText(/username:|befriend/)).toHaveCount(0);

  // Plurals in the interface language: a group of one, then of two.
  await sidebar.getByLabel('群组名称').fill('读书会');
  await sidebar.getByRole('button', { name: '创建群组' }).click();
  await expect(page.getByRole('heading', { name: '读书会' })).toBeVisible();
  await expect(page.getByText('群组 · 1 名成员 · 你是群主')).toBeVisible();

  // A message's time in the page's language, and the friend's unread count read out in Chinese.
  await asUser(server, friend, async (c) => {
    const { friends } = await c.request('friends.list', {});
    await c.request('chat.send', { to: friends[0]!.userId, text: '你好！' });
  });
  await expect(sidebar.getByRole('link', { name: /Lucy/ })).toContainText('1 条未读');
  await context.close();

  // The world: the map's name and areas as the map writes them, the rest in Chinese.
  const world = await openIn(browser, server, 'zh-CN');
  await logInZh(world.page, user, true);
  await expect(world.page.getByLabel(/^Plaza 的地图/)).toBeVisible();
  await expect(world.page.locator('.world-hud .chip').first()).toHaveText('Plaza');
  await expect(world.page.getByRole('button', { name: '动作' })).toBeVisible();
  await world.context.close();
});

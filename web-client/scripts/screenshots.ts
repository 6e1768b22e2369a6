/**
 * Screenshots of the main screens for docs/screenshots/: starts a real server (the e2e fixture's
 * startServerProcess), fills it with a few users through the SDK, and drives Chromium with the
 * same launch options as playwright.config.ts.
 *
 *   cd web-client && npx vite build && cd .. && node --import tsx web-client/scripts/screenshots.ts
 *
 * `... screenshots.ts --zh-CN` makes only the Chinese ones (chat-zh-CN, login-phone-zh-CN).
 */
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import type { ImClient } from '@imw/shared/sdk';
import { type Browser, chromium, expect, type Page } from '@playwright/test';
import { type RunningServer, startServerProcess } from '../../e2e/fixtures';
import { befriend, createUser, logIn, sdkClient, type User } from '../../e2e/helpers';
import config from '../../playwright.config';

const OUT = resolve(import.meta.dirname, '../../docs/screenshots');
const DESKTOP = { width: 1280, height: 800 };
const PHONE = { width: 390, height: 844 };

async function online(server: RunningServer, user: User, opts: { sceneId?: string } = {}): Promise<ImClient> {
  const c = sdkClient(server);
  await c.connect();
  await c.login(user.username, user.password, opts.sceneId ? { mode: 'scene', sceneId: opts.sceneId } : {});
  return c;
}

async function page(
  browser: Browser,
  server: RunningServer,
  viewport = DESKTOP,
  locale = 'en-US',
): Promise<Page> {
  const context = await browser.newContext({ baseURL: server.url, viewport, deviceScaleFactor: 1, locale });
  return context.newPage();
}

async function shot(p: Page, name: string): Promise<void> {
  // Let fonts, transitions and the live regions settle.
  await p.evaluate(() => document.fonts.ready);
  await p.waitForTimeout(300);
  await p.screenshot({ path: resolve(OUT, `${name}.png`) });
  console.log(`saved docs/screenshots/${name}.png`);
}

/** Walks a bot in straight steps the server accepts (under its speed limit). */
async function walk(
  c: ImClient,
  from: { x: number; y: number },
  to: { x: number; y: number },
  seq: { n: number },
) {
  const steps = Math.ceil(Math.hypot(to.x - from.x, to.y - from.y) / 18);
  for (let i = 1; i <= steps; i++) {
    const x = from.x + ((to.x - from.x) * i) / steps;
    const y = from.y + ((to.y - from.y) * i) / steps;
    await c.request('scene.move', { x, y, seq: seq.n++ });
    await new Promise((r) => setTimeout(r, 90));
  }
}

/** The Chinese interface (R-I18N-*): a browser whose language is zh-CN, users with Chinese names. */
async function chinese(browser: Browser, server: RunningServer): Promise<void> {
  const loginPhone = await page(browser, server, PHONE, 'zh-CN');
  await loginPhone.goto('/#/login');
  await expect(loginPhone.getByRole('status')).toHaveText('已连接');
  await shot(loginPhone, 'login-phone-zh-CN');

  const [mei, lei, fang, wei] = await Promise.all([
    createUser(server, 'meimei', '韩梅梅'),
    createUser(server, 'lilei', '李雷'),
    createUser(server, 'wangfang', '王芳'),
    createUser(server, 'zhangwei', '张伟'),
  ]);
  for (const f of [lei, fang, wei]) await befriend(server, mei, f);
  const l = await online(server, lei);
  const f = await online(server, fang);
  await f.request('presence.setStatus', { status: 'busy' });
  const chat = await page(browser, server, DESKTOP, 'zh-CN');
  await chat.goto('/#/login');
  await chat.getByLabel('用户名').fill(mei.username);
  await chat.getByLabel('密码').fill(mei.password);
  await chat.getByRole('button', { name: '登录' }).click();
  await expect(chat.getByRole('button', { name: '退出登录' })).toBeVisible();
  const group = await l.request('groups.create', { name: '周末爬山' });
  await f.request('groups.join', { groupId: group.groupId });
  const meiId = (await l.request('friends.list', {})).friends.find(
    (x) => x.username === mei.username,
  )!.userId;
  await chat.locator(`a[href="#/chat/f:${(await l.request('account.getProfile', {})).userId}"]`).click();
  await l.request('chat.send', { to: meiId, text: '梅梅，周六还去爬山吗？' });
  await expect(chat.getByText('周六还去爬山吗')).toBeVisible();
  await chat.getByLabel('消息', { exact: true }).fill('去！早上八点在山脚见？');
  await chat.getByLabel('消息', { exact: true }).press('Enter');
  await l.request('chat.send', { to: meiId, text: '好的，我带咖啡。' });
  await f.request('chat.send', { to: meiId, text: '新地图你看了吗？' });
  await fetch(`${server.url}/admin/system`, {
    method: 'POST',
    headers: { authorization: `Bearer ${server.adminToken}`, 'content-type': 'application/json' },
    body: JSON.stringify({ text: '欢迎来到 IM World！今天 Park 地图开放了。' }),
  });
  await expect(chat.getByRole('region', { name: '通知' })).toContainText('Park');
  await chat.getByLabel('查找群组').fill('爬山');
  await chat.getByRole('button', { name: '搜索' }).click();
  await expect(chat.getByText('2 名成员')).toBeVisible();
  await chat.getByLabel('消息', { exact: true }).fill('我们在世界里的咖啡馆见吧？');
  await shot(chat, 'chat-zh-CN');
  l.close();
  f.close();
}

async function main(): Promise<void> {
  mkdirSync(OUT, { recursive: true });
  const server = await startServerProcess();
  const browser = await chromium.launch(config.use?.launchOptions);
  try {
    await chinese(browser, server);
    if (process.argv.includes('--zh-CN')) return;
    const [alice, bob, carol, dave, erin] = await Promise.all([
      createUser(server, 'alice', 'Alice Chen'),
      createUser(server, 'bob', 'Bob Martin'),
      createUser(server, 'carol', 'Carol Diaz'),
      createUser(server, 'dave', 'Dave Kim'),
      createUser(server, 'erin', 'Erin Walsh'),
    ]);
    for (const f of [bob, carol, dave]) await befriend(server, alice, f);

    // ---- login ----
    const login = await page(browser, server);
    await login.goto('/#/login');
    await expect(login.getByRole('status')).toHaveText('Connected');
    await shot(login, 'login');
    const loginPhone = await page(browser, server, PHONE);
    await loginPhone.goto('/#/login');
    await expect(loginPhone.getByRole('status')).toHaveText('Connected');
    await shot(loginPhone, 'login-phone');

    // ---- chat with friends ----
    const b = await online(server, bob);
    const c = await online(server, carol);
    await c.request('presence.setStatus', { status: 'away' });
    const chat = await page(browser, server);
    await logIn(chat, alice);
    const aliceId = (await b.request('friends.list', {})).friends.find(
      (f) => f.username === alice.username,
    )!.userId;
    await chat.locator(`a[href="#/chat/f:${(await b.request('account.getProfile', {})).userId}"]`).click();
    await b.request('chat.send', {
      to: aliceId,
      text: 'Hey Alice! Are we still on for the hike on Saturday?',
    });
    await expect(chat.getByText('Are we still on')).toBeVisible();
    await chat.getByLabel('Message').fill('Yes! Meet at the trailhead at 8?');
    await chat.getByLabel('Message').press('Enter');
    await b.request('chat.send', { to: aliceId, text: 'Perfect. I will bring coffee.' });
    await chat.getByLabel('Message').fill('You are the best.\nCarol is coming too.');
    await chat.getByLabel('Message').press('Enter');
    await c.request('chat.send', { to: aliceId, text: 'Did you see the new map?' });
    const e = await online(server, erin);
    await e.request('friends.request', { username: alice.username });
    await fetch(`${server.url}/admin/system`, {
      method: 'POST',
      headers: { authorization: `Bearer ${server.adminToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ text: 'Welcome to IM World! The Park map opened today.' }),
    });
    await expect(chat.getByRole('region', { name: 'Notices' })).toContainText('Park map');
    await expect(chat.getByText('Erin Walsh')).toBeVisible();
    await chat.getByLabel('Message').fill('Want to meet at the café in the world later?');
    await shot(chat, 'chat');

    // ---- groups ----
    const group = await b.request('groups.create', { name: 'Weekend hikers' });
    await c.request('groups.join', { groupId: group.groupId });
    await chat.getByLabel('Find groups').fill('hikers');
    await chat.getByRole('button', { name: 'Search' }).click();
    await chat.getByRole('button', { name: 'Join Weekend hikers' }).click();
    await expect(chat.getByRole('list', { name: 'Members' }).getByRole('listitem')).toHaveCount(3);
    await b.request('chat.sendGroup', {
      groupId: group.groupId,
      text: 'Route for Saturday: the ridge loop, 14 km.',
    });
    await c.request('chat.sendGroup', { groupId: group.groupId, text: 'Count me in. Lunch at the lake?' });
    await expect(chat.getByText('Lunch at the lake?')).toBeVisible();
    await chat.getByLabel('Message').fill('Sounds great, I will bring sandwiches.');
    await chat.getByLabel('Message').press('Enter');
    await chat
      .getByRole('region', { name: 'Notices' })
      .getByRole('button', { name: 'Dismiss notice' })
      .click();
    await shot(chat, 'groups');

    // Messages live in the page (no history on the server yet), so the phone starts empty.
    const chatPhone = await page(browser, server, PHONE);
    await logIn(chatPhone, alice);
    await chatPhone.goto(`/#/chat/g:${group.groupId}`);
    await chatPhone.getByLabel('Message').fill('On my phone now!');
    await chatPhone.getByLabel('Message').press('Enter');
    await shot(chatPhone, 'groups-phone');
    await chatPhone.getByRole('button', { name: 'Menu' }).click();
    await shot(chatPhone, 'sidebar-phone');
    for (const x of [b, c, e]) x.close();

    // ---- world with several players ----
    const bots: { client: ImClient; to: { x: number; y: number } }[] = [];
    const spots = [
      { x: 1090, y: 640 },
      { x: 880, y: 600 },
      { x: 1010, y: 800 },
      { x: 850, y: 720 },
    ];
    const world = await page(browser, server);
    await logIn(world, alice, { mode: 'World', map: 'Plaza' });
    await world.waitForFunction(() => window.__imw !== undefined);
    for (const [i, u] of [bob, carol, dave, erin].entries()) {
      const client = await online(server, u, { sceneId: 'plaza' });
      const joined = await client.request('scene.join', { sceneId: 'plaza' });
      bots.push({ client, to: spots[i]! });
      await walk(client, joined.self, spots[i]!, { n: 0 });
    }
    await world.waitForFunction(() => (window.__imw?.players().length ?? 0) >= 4);
    await bots[0]!.client.request('scene.chat', { text: 'Hi Alice! Welcome to the plaza!' });
    await bots[1]!.client.request('scene.action', { action: 'dance' });
    await bots[2]!.client.request('scene.chat', { text: 'Anyone up for coffee at the café?' });
    await world.getByLabel('Say').fill('Hello everyone!');
    await world.getByLabel('Say').press('Enter');
    await world.waitForFunction(() => (window.__imw?.bubbles().length ?? 0) >= 3);
    await shot(world, 'world');

    const worldPhone = await page(browser, server, PHONE);
    await logIn(worldPhone, dave, { mode: 'World', map: 'Plaza' });
    await worldPhone.waitForFunction(() => (window.__imw?.players().length ?? 0) >= 3);
    await shot(worldPhone, 'world-phone');
    for (const bot of bots) bot.client.close();

    // ---- a direct connection with a call (fake camera and microphone) ----
    const caller = await page(browser, server);
    const callee = await page(browser, server, { width: 900, height: 700 });
    await logIn(caller, alice);
    await logIn(callee, bob);
    await caller.getByRole('link', { name: /^Bob Martin/ }).click();
    await caller.getByRole('button', { name: 'Direct' }).click();
    await callee.getByRole('button', { name: 'Accept direct connection' }).click();
    await expect(caller.getByRole('region', { name: 'Direct connection', exact: true })).toContainText(
      'Direct (peer-to-peer)',
    );
    await caller.getByLabel('Message').fill('Can you hear me? This goes peer-to-peer.');
    await caller.getByLabel('Message').press('Enter');
    await callee.getByLabel('Message').fill('Loud and clear!');
    await callee.getByLabel('Message').press('Enter');
    await caller.getByRole('button', { name: 'Start call' }).click();
    await callee.getByRole('button', { name: 'Join call' }).click();
    await caller.waitForFunction(() => {
      const v = document.querySelector<HTMLVideoElement>('video[aria-label="Remote video"]');
      return v !== null && v.videoWidth > 0 && v.currentTime > 0.5;
    });
    await shot(caller, 'direct-call');
  } finally {
    await browser.close();
    await server.stop();
  }
}

await main();

import { ImClient } from '@imw/shared/sdk';
import { nodeSocketFactory } from '@imw/shared/sdk/node';
import { type Browser, type BrowserContext, expect, type Page } from '@playwright/test';
import { type RunningServer, uniqueUser } from './fixtures';

/** A test user. Registered through the SDK (cheap PBKDF2), logged in through the UI. */
export interface User {
  readonly username: string;
  readonly password: string;
}

export const PASSWORD = 'correct horse battery';

export function wsUrl(server: RunningServer): string {
  return `${server.url.replace(/^http/, 'ws')}/ws`;
}

/** An SDK client in Node, for set-up and for the parts a browser must not do (a stranger's message). */
export function sdkClient(server: RunningServer, requestTimeoutMs = 5000): ImClient {
  return new ImClient({
    url: wsUrl(server),
    socketFactory: nodeSocketFactory,
    reconnect: { enabled: false },
    heartbeat: false,
    scramIterations: 4096,
    requestTimeoutMs,
  });
}

export async function createUser(server: RunningServer, prefix: string, displayName?: string): Promise<User> {
  const username = uniqueUser(prefix);
  const c = sdkClient(server);
  await c.connect();
  await c.register(username, PASSWORD, displayName);
  c.close();
  return { username, password: PASSWORD };
}

/** Logs a user in with the SDK, runs `fn`, logs out. */
export async function asUser<T>(
  server: RunningServer,
  user: User,
  fn: (c: ImClient) => Promise<T>,
): Promise<T> {
  const c = sdkClient(server);
  await c.connect();
  await c.login(user.username, user.password);
  try {
    return await fn(c);
  } finally {
    await c.logout().catch(() => undefined);
    c.close();
  }
}

export async function userId(server: RunningServer, user: User): Promise<number> {
  return asUser(server, user, async (c) => (await c.request('account.getProfile', {})).userId);
}

/** Makes two users friends through the SDK (the UI flow has its own test). */
export async function befriend(server: RunningServer, a: User, b: User): Promise<void> {
  await asUser(server, a, (c) => c.request('friends.request', { username: b.username }));
  await asUser(server, b, async (c) => {
    const { incoming } = await c.request('friends.list', {});
    const from = incoming.find((u) => u.username === a.username);
    if (!from) throw new Error(`no request from ${a.username}`);
    await c.request('friends.accept', { userId: from.userId });
  });
}

export async function newPage(
  browser: Browser,
  server: RunningServer,
): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ baseURL: server.url });
  const page = await context.newPage();
  return { context, page };
}

export interface LoginOptions {
  mode?: 'Chat' | 'World';
  map?: string;
  invisible?: boolean;
}

export async function logIn(page: Page, user: User, opts: LoginOptions = {}): Promise<void> {
  await page.goto('/#/login');
  await page.getByLabel('Username').fill(user.username);
  await page.getByLabel('Password').fill(user.password);
  if (opts.mode === 'World') {
    await page.getByLabel('World').check();
    if (opts.map) await page.getByLabel('Map').selectOption({ label: opts.map });
  }
  if (opts.invisible) await page.getByLabel('Log in invisible').check();
  await page.getByRole('button', { name: 'Log in' }).click();
  await expect(page.getByRole('button', { name: 'Log out' })).toBeVisible();
}

/** Opens a browser context and logs a user in. */
export async function openAs(
  browser: Browser,
  server: RunningServer,
  user: User,
  opts: LoginOptions = {},
): Promise<{ context: BrowserContext; page: Page }> {
  const opened = await newPage(browser, server);
  await logIn(opened.page, user, opts);
  return opened;
}

/** The sidebar's link to a friend's or a group's conversation. */
export function conversationLink(page: Page, name: string) {
  return page
    .getByRole('complementary', { name: 'Friends and groups' })
    .getByRole('link', { name: new RegExp(`^${name}\\b`) });
}

import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { type RunningServer, startServerProcess } from './fixtures';
import { createUser, logIn } from './helpers';

/** A port the OS says is free now, so a restarted server can come back at the same address. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

test('flow 9a: the server restarts and the page carries on without the password', async ({ browser }) => {
  const dataDir = mkdtempSync(join(tmpdir(), 'imw-e2e-restart-'));
  const port = String(await freePort());
  let server: RunningServer = await startServerProcess({ DATA_DIR: dataDir, PORT: port });
  try {
    const user = await createUser(server, 'rs');
    const context = await browser.newContext({ baseURL: server.url });
    const page = await context.newPage();
    await logIn(page, user);
    await expect(page.getByRole('status')).toHaveText('Connected');
    // R-PRS-3: go invisible; once the server confirmed it, the saved session knows it too.
    await page.getByLabel('Status').selectOption('invisible');
    await expect
      .poll(() => page.evaluate(() => sessionStorage.getItem('imw.session')))
      .toContain('"status":"invisible"');

    await server.stop();
    await expect(page.getByRole('status')).toHaveText('Reconnecting…');
    server = await startServerProcess({ DATA_DIR: dataDir, PORT: port });
    await expect(page.getByRole('status')).toHaveText('Connected', { timeout: 20_000 });
    // The session was re-created from the ticket, still invisible; a reload shows the same.
    await expect(page.getByLabel('Status')).toHaveValue('invisible');
    await page.reload();
    await expect(page.getByRole('status')).toHaveText('Connected');
    await expect(page.getByLabel('Status')).toHaveValue('invisible');

    // Still logged in, and the new encrypted session works: edit the profile.
    await expect(page.getByRole('button', { name: 'Log out' })).toBeVisible();
    await page.goto('/#/account');
    await page.getByLabel('Bio').fill('back after a restart');
    await page.getByRole('button', { name: 'Save profile' }).click();
    await expect(page.getByText('Saved')).toBeVisible();
    await context.close();
  } finally {
    await server.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
});

const clusterEnv = process.env.TEST_DATABASE_URL && process.env.TEST_REDIS_URL;
// Two nodes need a shared PostgreSQL and Redis: `.ci/run` provides both.
if (clusterEnv) {
  test('flow 9b: a redirect to another node; the page follows without the password', async ({ browser }) => {
    const shared = {
      DATABASE_URL: process.env.TEST_DATABASE_URL!,
      REDIS_URL: process.env.TEST_REDIS_URL!,
      REDIS_KEY_PREFIX: `imwe2e:${randomBytes(4).toString('hex')}:`,
      NODE_ANNOUNCE_MS: '100',
      NODE_TTL_MS: '1000',
    };
    const n1 = await startServerProcess(shared);
    const n2 = await startServerProcess(shared);
    try {
      await expect
        .poll(
          async () =>
            (
              (await (
                await fetch(`${n1.url}/cluster/nodes`, {
                  headers: { authorization: `Bearer ${n1.adminToken}` },
                })
              ).json()) as { nodes: unknown[] }
            ).nodes.length,
        )
        .toBe(2);
      const user = await createUser(n1, 'rd');
      const context = await browser.newContext({ baseURL: n1.url });
      const page = await context.newPage();
      await logIn(page, user);
      await expect(page.getByRole('status')).toHaveText('Connected');
      // R-SEC-20: live counts are in /metrics, behind the token (the admin token here).
      const health = async (n: RunningServer) => {
        const r = await fetch(`${n.url}/metrics`, { headers: { authorization: `Bearer ${n.adminToken}` } });
        return Number(/^imw_sessions (\d+)$/m.exec(await r.text())?.[1]);
      };
      expect(await health(n1)).toBe(1);

      const drained = await fetch(`${n1.url}/admin/drain`, {
        method: 'POST',
        headers: { authorization: `Bearer ${n1.adminToken}` },
      });
      expect(await drained.json()).toEqual({ moved: 1, remaining: 0 });
      await expect.poll(() => health(n2)).toBe(1);
      await expect(page.getByRole('status')).toHaveText('Connected');
      await expect(page.getByRole('button', { name: 'Log out' })).toBeVisible();
      await page.goto('/#/account');
      await page.getByLabel('Bio').fill('moved to another node');
      await page.getByRole('button', { name: 'Save profile' }).click();
      await expect(page.getByText('Saved')).toBeVisible();
      await context.close();
    } finally {
      await n1.stop();
      await n2.stop();
    }
  });
}

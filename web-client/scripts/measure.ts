/**
 * Figures for the web client, measured against a real server in Debian's Chromium:
 * - the built bundle's sizes (raw and gzip);
 * - first paint and first contentful paint of the login screen (performance.getEntriesByType('paint'));
 * - frames per second of the world view while N bots (SDK clients) walk around the player.
 *
 *   cd web-client && npx vite build && cd .. && node --import tsx web-client/scripts/measure.ts [bots]
 */
import { readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { ImClient } from '@imw/shared/sdk';
import { chromium } from '@playwright/test';
import { startServerProcess } from '../../e2e/fixtures';
import { createUser, logIn, sdkClient } from '../../e2e/helpers';
import config from '../../playwright.config';

const BOTS = Number(process.argv[2] ?? 60);
const SPAWN = { x: 976, y: 656 };
const SAMPLE_MS = 5000;

function bundle(): void {
  const dir = resolve(import.meta.dirname, '../dist/assets');
  for (const f of readdirSync(dir).filter((n) => /\.(js|css)$/.test(n))) {
    const bytes = readFileSync(resolve(dir, f));
    console.log(
      `bundle ${f}: ${(bytes.length / 1024).toFixed(1)} KiB, gzip ${(gzipSync(bytes).length / 1024).toFixed(1)} KiB`,
    );
  }
}

/** A bot wanders on the road around the spawn point, under the server's speed limit. */
function wander(c: ImClient, i: number, stop: { now: boolean }): Promise<void> {
  let seq = 0;
  let x = SPAWN.x;
  let y = SPAWN.y;
  const angle = (i / BOTS) * Math.PI * 2;
  return (async () => {
    for (let t = 0; !stop.now; t++) {
      // An ellipse on the road and the square around the spawn, each bot at its own phase.
      const a = angle + t * 0.05;
      const nx = SPAWN.x + Math.cos(a) * 200;
      const ny = SPAWN.y + Math.sin(a) * 14;
      const step = Math.min(1, 20 / Math.hypot(nx - x, ny - y));
      x += (nx - x) * step;
      y += (ny - y) * step;
      await c.request('scene.move', { x, y, seq: seq++ }).catch(() => undefined);
      await new Promise((r) => setTimeout(r, 100));
    }
  })();
}

async function main(): Promise<void> {
  bundle();
  const server = await startServerProcess();
  const browser = await chromium.launch(config.use?.launchOptions);
  try {
    // First paint of the login screen, cold (a fresh context has an empty cache).
    for (let run = 0; run < 3; run++) {
      const ctx = await browser.newContext({ baseURL: server.url });
      const page = await ctx.newPage();
      await page.goto('/#/login');
      await page.getByRole('button', { name: 'Log in' }).waitFor();
      await page.waitForFunction(() => performance.getEntriesByName('first-contentful-paint').length > 0);
      const paints = await page.evaluate(() =>
        performance.getEntriesByType('paint').map((p) => `${p.name} ${p.startTime.toFixed(0)} ms`),
      );
      console.log(`login screen, run ${run + 1}: ${paints.join(', ')}`);
      await ctx.close();
    }

    const viewer = await createUser(server, 'viewer', 'Viewer');
    const bots: ImClient[] = [];
    for (let i = 0; i < BOTS; i++) {
      const u = await createUser(server, 'bot', `Bot ${i + 1}`);
      const c = sdkClient(server);
      await c.connect();
      await c.login(u.username, u.password, { mode: 'scene', sceneId: 'plaza' });
      await c.request('scene.join', { sceneId: 'plaza' });
      bots.push(c);
    }
    const stop = { now: false };
    const walking = bots.map((c, i) => wander(c, i, stop));

    const ctx = await browser.newContext({ baseURL: server.url, viewport: { width: 1280, height: 800 } });
    const page = await ctx.newPage();
    await logIn(page, viewer, { mode: 'World', map: 'Plaza' });
    await page.waitForFunction((n) => (window.__imw?.players().length ?? 0) >= n, BOTS, { timeout: 30_000 });
    await page.waitForTimeout(1500);
    // A string, not a function: tsx's keepNames helpers (__name) do not exist in the page.
    const fps: number = await page.evaluate(`new Promise((done) => {
      let frames = 0;
      const t0 = performance.now();
      const tick = (now) => {
        frames++;
        if (now - t0 < ${SAMPLE_MS}) requestAnimationFrame(tick);
        else done((frames * 1000) / (now - t0));
      };
      requestAnimationFrame(tick);
    })`);
    const seen = await page.evaluate(() => window.__imw?.players().length ?? 0);
    console.log(
      `world view: ${seen} players in view, ${fps.toFixed(1)} frames/s over ${SAMPLE_MS / 1000} s (headless, --disable-gpu)`,
    );
    stop.now = true;
    await Promise.all(walking);
    for (const c of bots) c.close();
    await ctx.close();
  } finally {
    await browser.close();
    await server.stop();
  }
}

await main();

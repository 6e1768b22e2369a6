import { expect, type Page } from '@playwright/test';

/** Holds an arrow key on the map until the avatar passes a line (checked every frame in the page). */
export async function walk(
  page: Page,
  key: string,
  axis: 'x' | 'y',
  cmp: '<' | '>',
  value: number,
): Promise<void> {
  await page.getByLabel(/^Map of /).focus();
  await page.keyboard.down(key);
  try {
    await page.waitForFunction(
      ({ axis, cmp, value }) => {
        const p = window.__imw?.self();
        return p !== undefined && (cmp === '<' ? p[axis] < value : p[axis] > value);
      },
      { axis, cmp, value },
      { polling: 'raf', timeout: 15_000 },
    );
  } finally {
    await page.keyboard.up(key);
  }
}

/**
 * Clicks a map point and waits until the avatar stands on it (click-to-move stops exactly there).
 * A walk can end a few pixels short when the server corrects a step that a loaded machine's late
 * frames made look too fast; a user clicks again, and so does this (three times at most).
 */
export async function clickTo(page: Page, p: { x: number; y: number }): Promise<void> {
  const at = await page.evaluate(({ x, y }) => window.__imw?.toPage(x, y) ?? null, p);
  if (!at) throw new Error('the map is not drawn yet');
  const here = () => page.evaluate(() => window.__imw?.self() ?? null);
  for (let attempt = 1; ; attempt++) {
    await page.mouse.click(at.x, at.y);
    try {
      await expect.poll(here, { timeout: 10_000 }).toEqual(p);
      return;
    } catch (e) {
      if (attempt === 3) throw e;
    }
  }
}

import { expect, test } from './fixtures';
import { createUser, logIn, newPage } from './helpers';

/**
 * R-SEC-14: every response carries the security headers, and the web client runs under the
 * Content-Security-Policy without a single violation: login, chat, and the world's canvas and maps.
 */
test('the app runs under its Content-Security-Policy with no violation', async ({ browser, server }) => {
  const user = await createUser(server, 'csp');
  const { context, page } = await newPage(browser, server);
  const violations: string[] = [];
  await page.exposeFunction('__cspViolation', (v: string) => violations.push(v));
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => {
      (window as unknown as { __cspViolation(v: string): void }).__cspViolation(
        `${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}:${e.columnNumber}`,
      );
    });
  });
  page.on('console', (m) => {
    if (/Content Security Policy/i.test(m.text())) violations.push(m.text());
  });

  const res = await page.goto('/');
  const headers = res?.headers() ?? {};
  expect(headers['content-security-policy']).toContain("script-src 'self'");
  expect(headers['content-security-policy']).toContain("frame-ancestors 'none'");
  expect(headers['x-content-type-options']).toBe('nosniff');
  expect(headers['referrer-policy']).toBe('no-referrer');
  expect(headers['cross-origin-opener-policy']).toBe('same-origin');

  await logIn(page, user, { mode: 'World' });
  await expect(page.locator('canvas').first()).toBeVisible();
  // In the world: the own avatar has a position from the server's first view.
  await page.waitForFunction(() => (window.__imw?.self()?.x ?? -1) > 0);
  await page.getByRole('button', { name: 'Log out' }).click();
  expect(violations).toEqual([]);
  await context.close();
});

test('R-SEC-14: API, static and 404 responses carry the headers too; no HSTS over plain HTTP', async ({
  server,
}) => {
  for (const path of ['/healthz', '/maps/plaza.tmj', '/no/such/thing.js']) {
    const r = await fetch(`${server.url}${path}`);
    expect(r.headers.get('x-content-type-options'), path).toBe('nosniff');
    expect(r.headers.get('content-security-policy'), path).toContain("default-src 'self'");
    expect(r.headers.get('strict-transport-security'), path).toBeNull();
  }
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ImServer } from '../../src';
import { ManualClock } from '../../src/core';
import type { Database } from '../../src/db';
import { AuthFailures, HTTP_AUTH_FAILURES_PER_MIN } from '../../src/http';
import { testDatabase } from '../support/db';
import { metricSum, opsFetch } from '../support/measure';
import { startTestServer, TEST_METRICS_TOKEN } from '../support/server';

const ADMIN = 'http-guard-admin-token-0123456789abcdef';

const get = (url: string, token?: string) =>
  fetch(url, token ? { headers: { authorization: `Bearer ${token}` } } : {});

/**
 * The review's M3 probe: read imw_frames_out_total, make the server route one event to a user,
 * read it again; one frame more means "online", invisible or not. None of the counters an
 * outsider could read may exist without a token.
 */
describe('HTTP endpoints that show live state (M3)', () => {
  let db: Database;
  let server: ImServer;

  beforeAll(async () => {
    db = await testDatabase('pglite');
    server = await startTestServer(db);
  });
  afterAll(async () => {
    await server?.close();
    await db?.close();
  });

  it('R-SEC-20: /metrics and /cluster/nodes refuse a caller without the token; the probe needs it', async () => {
    for (const path of ['/metrics', '/cluster/nodes']) {
      const r = await get(`${server.httpUrl}${path}`);
      expect(r.status, path).toBe(401);
      expect(await r.text(), path).not.toMatch(/imw_|sessions/);
      expect((await get(`${server.httpUrl}${path}`, 'wrong-token')).status, path).toBe(401);
    }
    // The operator still has the counters (the probe's signal is in them: hence private).
    expect(await metricSum(server.httpUrl, 'imw_frames_out_total')).toBeGreaterThanOrEqual(0);
    expect(await metricSum(server.httpUrl, 'imw_connections')).toBeGreaterThanOrEqual(0);
    expect((await opsFetch(`${server.httpUrl}/cluster/nodes`)).status).toBe(200);
  });

  it('R-SEC-20: /healthz answers ok and nothing else; /cluster/discover stays public without counts', async () => {
    const h = await get(`${server.httpUrl}/healthz`);
    expect(h.status).toBe(200);
    expect(await h.json()).toEqual({ ok: true });
    const d = await get(`${server.httpUrl}/cluster/discover`);
    expect(d.status).toBe(200);
    const body = (await d.json()) as Record<string, unknown>;
    expect(Object.keys(body).sort()).toEqual(['nodeId', 'url', 'wsUrl']);
  });
});

describe('without METRICS_TOKEN and ADMIN_TOKEN', () => {
  let db: Database;
  let server: ImServer;
  beforeAll(async () => {
    db = await testDatabase('pglite');
    server = await startTestServer(db, { METRICS_TOKEN: undefined, ADMIN_TOKEN: undefined });
  });
  afterAll(async () => {
    await server?.close();
    await db?.close();
  });

  it('R-SEC-20: /metrics and /cluster/nodes do not exist (404), whatever the caller sends', async () => {
    expect((await get(`${server.httpUrl}/metrics`)).status).toBe(404);
    expect((await get(`${server.httpUrl}/metrics`, TEST_METRICS_TOKEN)).status).toBe(404);
    expect((await get(`${server.httpUrl}/cluster/nodes`)).status).toBe(404);
  });
});

describe('failed bearer attempts per address (review I4)', () => {
  let db: Database;
  let server: ImServer;
  beforeAll(async () => {
    db = await testDatabase('pglite');
    server = await startTestServer(db, { ADMIN_TOKEN: ADMIN });
  });
  afterAll(async () => {
    await server?.close();
    await db?.close();
  });

  it('R-SEC-25: after 10 wrong tokens in a minute an address gets 429 on every guarded route, the right token included', async () => {
    const drain = (token: string) =>
      fetch(`${server.httpUrl}/admin/drain`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}` },
      });
    expect((await drain(ADMIN)).status).toBe(200);
    for (let i = 0; i < HTTP_AUTH_FAILURES_PER_MIN; i++) expect((await drain(`guess-${i}`)).status).toBe(401);
    const limited = await drain('one-more-guess');
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    expect((await drain(ADMIN)).status).toBe(429);
    expect((await opsFetch(`${server.httpUrl}/metrics`)).status).toBe(429);
    // Public routes are not guarded, so not limited.
    expect((await get(`${server.httpUrl}/healthz`)).status).toBe(200);
  });

  it('R-SEC-25: the count is per address and over a sliding minute', () => {
    const clock = new ManualClock();
    const f = new AuthFailures(clock, 3);
    for (let i = 0; i < 3; i++) f.fail('10.0.0.1');
    expect(f.retryAfterMs('10.0.0.1')).toBe(60_000);
    expect(f.retryAfterMs('10.0.0.2')).toBe(0);
    clock.advance(59_999);
    expect(f.retryAfterMs('10.0.0.1')).toBe(1);
    clock.advance(1);
    expect(f.retryAfterMs('10.0.0.1')).toBe(0);
  });
});

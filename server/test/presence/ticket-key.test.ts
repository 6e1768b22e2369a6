import { createCipheriv, randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ErrorCode, pack } from '@imw/shared';
import { afterAll, describe, expect, it } from 'vitest';
import { tables } from '../../src/db';
import { loadTicketKeys, parseTicketKeys, TicketSealer } from '../../src/presence';
import { DB_KINDS, testDatabase } from '../support/db';
import { newClient, startTestServer } from '../support/server';
import { errorCode, testUser } from '../support/users';

/** A ticket sealed with `key` in the layout the server used before (no key id) and the current one. */
function forge(key: Uint8Array, body: Record<string, unknown>, keyId: string | null): string {
  const iv = randomBytes(12);
  const c = createCipheriv('aes-256-gcm', key, iv);
  if (keyId) c.setAAD(Buffer.from(keyId, 'utf8'));
  const ct = Buffer.concat([c.update(pack(body)), c.final(), c.getAuthTag()]);
  const raw = Buffer.concat([iv, ct]).toString('base64url');
  return keyId ? `${keyId}.${raw}` : raw;
}

/**
 * R-SEC-31 (security review M2): reading the database is not enough to mint a resume ticket. The
 * review's probe: take every 32-byte secret in server_meta, seal a ticket for the victim with a
 * resume key of one's choosing, resume with it.
 */
describe.each(DB_KINDS)('the ticket key is not in the database (%s)', (kind) => {
  const open: Array<{ close(): Promise<void> }> = [];
  afterAll(async () => {
    for (const x of open.reverse()) await x.close();
  });

  it('R-SEC-31: a ticket sealed with anything server_meta holds does not resume the victim', async () => {
    const db = await testDatabase(kind);
    open.push(db);
    const server = await startTestServer(db);
    open.push(server);
    const victim = await testUser(server, 'm2v', []);
    const keyId = victim.client.credentials!.resumeToken.split('.')[0] ?? 't1';
    // Offline, so a resume would re-create the session from the ticket alone.
    await victim.client.logout();
    const secrets = (await db.db.select().from(tables.serverMeta)).filter((r) => r.value.byteLength === 32);
    const chosen = randomBytes(32);
    const body = {
      u: victim.userId,
      s: randomBytes(16).toString('base64url'),
      k: new Uint8Array(chosen),
      e: Date.now() + 3600_000,
      m: 'normal',
      c: null,
      g: 0,
    };
    for (const row of secrets) {
      for (const id of [null, keyId]) {
        const c = newClient(server);
        await c.connect();
        const creds = {
          sessionId: body.s,
          username: victim.username,
          resumeToken: forge(row.value, body, id),
          resumeKey: chosen.toString('base64'),
        };
        expect(await errorCode(c.resume(creds)), `${row.key} ${id ?? 'old layout'}`).toBe(
          ErrorCode.AUTH_FAILED,
        );
        c.close();
      }
    }
    expect(secrets.map((r) => r.key)).not.toContain('resume_ticket_key');
  }, 90_000);
});

describe('ticket keys (R-SEC-31)', () => {
  it('the first key seals, every key opens, an unknown key id opens nothing', () => {
    const [a, b] = parseTicketKeys(
      `new:${Buffer.alloc(32, 1).toString('base64')},old:${Buffer.alloc(32, 2).toString('base64')}`,
    );
    const t = {
      userId: 1,
      sessionId: 's',
      resumeKey: new Uint8Array(32),
      expiresAtMs: 1,
      mode: 'normal' as const,
      sceneId: null,
      generation: 0,
    };
    const rotated = new TicketSealer([a!, b!]);
    const before = new TicketSealer([b!]).seal(t);
    expect(rotated.open(before)?.sessionId).toBe('s');
    expect(rotated.seal(t).startsWith('new.')).toBe(true);
    expect(new TicketSealer([b!]).open(rotated.seal(t))).toBeNull();
    expect(() => parseTicketKeys('x:short')).toThrow(/32 bytes/);
  });

  it('without TICKET_KEYS one key is made in the data folder, private, and kept across starts', () => {
    const dir = mkdtempSync(join(tmpdir(), 'imw-tk-'));
    try {
      const first = loadTicketKeys(undefined, dir);
      const file = join(dir, 'ticket-keys');
      expect(statSync(file).mode & 0o777).toBe(0o600);
      expect(loadTicketKeys(undefined, dir)).toEqual(first);
      expect(readFileSync(file, 'utf8')).toContain(`${first[0]!.id}:`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

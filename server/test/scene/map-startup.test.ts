import { spawn } from 'node:child_process';
import { copyFileSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { ErrorCode, mapList } from '@imw/shared';
import { ImError } from '@imw/shared/sdk';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ImServer, makeConfig, startServer } from '../../src';
import type { Database } from '../../src/db';
import { testDatabase } from '../support/db';
import {
  newClient,
  TEST_ITERATIONS,
  TEST_METRICS_TOKEN,
  TEST_TICKET_KEYS,
  uniqueName,
} from '../support/server';
import { area, objects, wa } from './fixtures';

const ROOT = resolve(import.meta.dirname, '../../..');
const SHIPPED = join(ROOT, 'server/maps');

/** A WorkAdventure map as an operator might drop in, broken in the way `edit` says. */
function badMap(edit: (json: ReturnType<typeof wa>) => void): string {
  const json = wa(['S..', '...']);
  edit(json);
  return JSON.stringify(json);
}

function runToExit(env: Record<string, string>, ms = 60_000) {
  return new Promise<{ code: number | null; out: string }>((done, fail) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'server/src/main.ts'], {
      cwd: ROOT,
      env: { ...process.env, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'warn', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
    });
    child.stderr.on('data', (d: Buffer) => {
      out += d.toString();
    });
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      fail(new Error(`still running after ${ms} ms:\n${out}`));
    }, ms);
    child.on('exit', (code) => {
      clearTimeout(timer);
      done({ code, out });
    });
  });
}

describe('R-MAP-2: maps load before the database; a bad map is skipped with one line', () => {
  it('when no map loads, the node refuses with one clear line, no stack trace, and never opens the database', async () => {
    const maps = mkdtempSync(join(tmpdir(), 'imw-maps-'));
    const data = mkdtempSync(join(tmpdir(), 'imw-data-'));
    try {
      writeFileSync(
        join(maps, 'hall.tmj'),
        badMap((j) => (j.tilesets = [{ firstgid: 1, source: 'hall.tsx' }])),
      );
      writeFileSync(join(maps, 'torn.tmj'), '{"type": "map", ');
      const r = await runToExit({ MAPS_DIR: maps, DATA_DIR: data });
      expect(r.code).toBe(1);
      expect(r.out).not.toContain('IM World is running');
      expect(r.out).toContain(`map ${join(maps, 'hall.tmj')} skipped: external tileset hall.tsx: embed it`);
      expect(r.out).toContain(`map ${join(maps, 'torn.tmj')} skipped: cannot read it`);
      expect(r.out).toMatch(/could not start: none of the 2 maps in .* could be loaded/);
      expect(r.out).not.toMatch(/\n\s+at /); // no stack trace
      expect(readdirSync(data)).toEqual([]); // the database was never opened
    } finally {
      rmSync(maps, { recursive: true, force: true });
      rmSync(data, { recursive: true, force: true });
    }
  }, 90_000);

  describe('with good maps next to bad ones', () => {
    let db: Database;
    let server: ImServer;
    let dir: string;
    const lines: string[] = [];

    beforeAll(async () => {
      dir = mkdtempSync(join(tmpdir(), 'imw-maps-'));
      for (const f of readdirSync(SHIPPED)) copyFileSync(join(SHIPPED, f), join(dir, f));
      writeFileSync(
        join(dir, 'squeezed.tmj'),
        badMap((j) => Object.assign(j.layers[1]!, { encoding: 'base64', compression: 'zlib', data: 'eJw=' })),
      );
      writeFileSync(
        join(dir, 'orphan.tmj'),
        JSON.stringify(
          wa(['S..'], { layers: [objects(area(1, 'out', [64, 0, 32, 32], { exitUrl: 'gone.tmj' }))] }),
        ),
      );
      db = await testDatabase('pglite');
      server = await startServer({
        config: makeConfig({
          HOST: '127.0.0.1',
          PORT: 0,
          SCRAM_DEFAULT_ITERATIONS: TEST_ITERATIONS,
          METRICS_TOKEN: TEST_METRICS_TOKEN,
          PRE_LOGIN_REQUESTS_PER_ADDRESS_PER_SEC: 0,
          TICKET_KEYS: TEST_TICKET_KEYS,
          MAPS_DIR: dir,
        }),
        database: db,
        logger: pino({ level: 'warn' }, { write: (s: string) => void lines.push(s) }),
      });
    });
    afterAll(async () => {
      await server?.close();
      await db?.close();
      rmSync(dir, { recursive: true, force: true });
    });

    it('the node starts; each bad map costs exactly one log line naming its file and reason', () => {
      const skipped = lines.map((l) => JSON.parse(l) as { msg: string; file?: string; reason?: string });
      expect(skipped.map((l) => l.file).sort()).toEqual(
        [join(dir, 'orphan.tmj'), join(dir, 'squeezed.tmj')].sort(),
      );
      expect(skipped.find((l) => l.file?.endsWith('squeezed.tmj'))!.reason).toMatch(/compressed \(zlib\)/);
      expect(skipped.find((l) => l.file?.endsWith('orphan.tmj'))!.reason).toMatch(/unknown scene "gone"/);
    });

    it('R-MAP-9: GET /maps lists the maps that loaded (id, name, description), the default first', async () => {
      const res = await fetch(`${server.httpUrl}/maps`);
      expect(res.status).toBe(200);
      const body = mapList.parse(await res.json());
      expect(body.maps.map((m) => m.id)).toEqual(['plaza', 'annex', 'office', 'park']);
      expect(body.maps[0]).toEqual({
        id: 'plaza',
        name: 'Plaza',
        description: expect.stringContaining('cafe'),
      });
      expect(Object.keys(body.maps[1]!).sort()).toEqual(['description', 'id', 'name']);
    });

    it('a skipped map cannot be entered: a scene login naming it is NOT_FOUND', async () => {
      const username = uniqueName('skip');
      const client = newClient(server);
      try {
        await client.connect();
        await client.register(username, `pw-${username}`);
        const err = await client
          .login(username, `pw-${username}`, { mode: 'scene', sceneId: 'squeezed' })
          .catch((e: unknown) => e);
        expect(err).toBeInstanceOf(ImError);
        expect((err as ImError).code).toBe(ErrorCode.NOT_FOUND);
      } finally {
        client.close();
      }
    });
  });
});

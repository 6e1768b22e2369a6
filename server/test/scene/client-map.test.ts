import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { areaAt as clientAreaAt, isBlocked as clientIsBlocked } from '../../../web-client/src/world/geometry';
import { buildMap, MapLoadError } from '../../../web-client/src/world/map';
import { areaAt, isBlocked, loadMap, loadMapsFromDir, SceneMapError } from '../../src/scene/index';
import { tmj } from './fixtures';

const MAPS_DIR = join(import.meta.dirname, '../../maps');
const readJson = (id: string): unknown => JSON.parse(readFileSync(join(MAPS_DIR, `${id}.tmj`), 'utf8'));

describe('R-SCN-34: the web client reads a map the way the server does', async () => {
  const maps = await loadMapsFromDir(MAPS_DIR);

  test.each([...maps.keys()])('%s: same walls, rooms, spawns, portals, radii and speed', (id) => {
    const server = maps.get(id)!;
    const client = buildMap(readJson(id), id, `/maps/${id}.tmj`, []);
    const { url, layers, layersAbove, tilesets, ...shared } = client;
    expect(shared).toEqual(server);
    expect(layers.length).toBeGreaterThanOrEqual(2); // ground and collision (or walls) are drawn
    expect(layersAbove.length).toBe(id === 'office' ? 1 : 0); // the office's canopy
    // Every tile centre: blocked or not, and in which room, by both sides' helpers.
    const half = server.tileSizePx / 2;
    for (let ty = 0; ty < server.heightTiles; ty++) {
      for (let tx = 0; tx < server.widthTiles; tx++) {
        const x = tx * server.tileSizePx + half;
        const y = ty * server.tileSizePx + half;
        expect(clientIsBlocked(client, x, y)).toBe(isBlocked(server, x, y));
        expect(clientAreaAt(client, x, y)?.name ?? null).toBe(areaAt(server, x, y));
      }
    }
  });

  test('a map without its radius properties is refused by both, not filled with client defaults', () => {
    const json = tmj({ rows: ['....', '....'] }) as { properties: unknown[] };
    json.properties = [];
    expect(() => loadMap(json, 'bare')).toThrow(SceneMapError);
    expect(() => buildMap(json, 'bare', '/maps/bare.tmj', [])).toThrow(MapLoadError);
  });

  test('a map that differs only in a room reads the same room on both sides', () => {
    const json = tmj({ rows: ['......', '......'], areas: [{ name: 'den', rect: [0, 0, 64, 64] }] });
    const client = buildMap(json, 'small', '/maps/small.tmj', []);
    const server = loadMap(json, 'small');
    expect(clientAreaAt(client, 10, 10)?.name).toBe('den');
    expect(areaAt(server, 10, 10)).toBe('den');
    expect(clientAreaAt(client, 70, 10)).toBeNull();
    expect(areaAt(server, 70, 10)).toBeNull();
  });
});

import { access, readdir, readFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { checkPortalLinks, parseMap, SceneMapError } from '@imw/shared';
import type { SceneMap } from './types';

/** One Tiled parser for the server and the web client (shared/src/scene/map.ts). */
export { checkPortalLinks, loadMap, SceneMapError } from '@imw/shared';

/**
 * Load every `*.tmj` in `dir` (scene id = file name without `.tmj`), check that each tileset
 * image exists next to its map and that portals link up. Throws SceneMapError on the first problem.
 */
export async function loadMapsFromDir(dir: string): Promise<ReadonlyMap<string, SceneMap>> {
  const files = (await readdir(dir)).filter((f) => f.endsWith('.tmj')).sort();
  const maps = new Map<string, SceneMap>();
  for (const file of files) {
    const id = basename(file, '.tmj');
    let json: unknown;
    try {
      json = JSON.parse(await readFile(join(dir, file), 'utf8'));
    } catch (err) {
      throw new SceneMapError(id, `cannot read ${join(dir, file)}: ${(err as Error).message}`);
    }
    const { map, tmj } = parseMap(json, id);
    maps.set(id, map);
    for (const tileset of tmj.tilesets) {
      await access(join(dir, tileset.image)).catch(() => {
        throw new SceneMapError(id, `tileset image ${tileset.image} not found next to ${file}`);
      });
    }
  }
  checkPortalLinks(maps);
  return maps;
}

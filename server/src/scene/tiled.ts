import { access, readdir, readFile } from 'node:fs/promises';
import { basename, join, resolve, sep } from 'node:path';
import { parseMap, portalProblems, SceneMapError } from '@imw/shared';
import type { SceneMap } from './types';

/** One Tiled parser for the server and the web client (shared/src/scene/map.ts). */
export { checkPortalLinks, loadMap, SceneMapError } from '@imw/shared';

/** Where the loader reports a skipped map: one line each. */
export interface MapLoadLog {
  warn(fields: { file: string; reason: string }, message: string): void;
}

/** A start-up refusal: MAPS_DIR has maps and none of them can be used. */
export class NoUsableMapError extends Error {
  override readonly name = 'NoUsableMapError';
}

const consoleLog: MapLoadLog = { warn: (_f, message) => console.warn(message) };

/**
 * R-MAP-2: loads every `*.tmj` in `dir` (scene id = file name without `.tmj`), in either
 * convention, checks that each tileset image exists next to its map and that portals link up.
 * A map that cannot be used is skipped with one log line naming the file and the reason (and so
 * is a map whose portal leads to a skipped or missing map); the others load. Throws
 * NoUsableMapError only when the folder has maps and none of them loads.
 */
export async function loadMapsFromDir(
  dir: string,
  log: MapLoadLog = consoleLog,
): Promise<ReadonlyMap<string, SceneMap>> {
  const files = (await readdir(dir)).filter((f) => f.endsWith('.tmj')).sort();
  const maps = new Map<string, SceneMap>();
  const fileOf = new Map<string, string>();
  const skip = (file: string, reason: string) =>
    log.warn({ file: join(dir, file), reason }, `map ${join(dir, file)} skipped: ${reason}`);
  for (const file of files) {
    const id = basename(file, '.tmj');
    try {
      maps.set(id, await loadOne(dir, file, id));
      fileOf.set(id, file);
    } catch (err) {
      skip(file, err instanceof SceneMapError ? err.reason : String(err));
    }
  }
  // Skipping a map can break the portals of another: repeat until every portal leads somewhere.
  for (let problems = portalProblems(maps); problems.size > 0; problems = portalProblems(maps)) {
    for (const [id, reason] of problems) {
      maps.delete(id);
      skip(fileOf.get(id)!, reason);
    }
  }
  if (files.length > 0 && maps.size === 0) {
    throw new NoUsableMapError(
      `none of the ${files.length} maps in ${dir} could be loaded (reasons logged above)`,
    );
  }
  return maps;
}

async function loadOne(dir: string, file: string, id: string): Promise<SceneMap> {
  let json: unknown;
  try {
    json = JSON.parse(await readFile(join(dir, file), 'utf8'));
  } catch (err) {
    throw new SceneMapError(id, `cannot read it: ${(err as Error).message}`);
  }
  const { map, drawing } = parseMap(json, id);
  for (const tileset of drawing.tilesets) {
    // Only MAPS_DIR is served (/maps/): an image outside it could never reach a browser.
    if (!resolve(dir, tileset.image).startsWith(resolve(dir) + sep)) {
      throw new SceneMapError(id, `tileset image ${tileset.image} is outside the maps folder`);
    }
    await access(join(dir, tileset.image)).catch(() => {
      throw new SceneMapError(id, `tileset image ${tileset.image} not found next to ${file}`);
    });
  }
  return map;
}

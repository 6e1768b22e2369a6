import { SCENE_ID_RE } from '../protocol/packets/scene';
import { type ParsedMap, parseImwMap } from './imw';
import { type Fail, refusalOf } from './tmj';
import type { MapConvention, SceneMap } from './types';
import { parseWorkAdventureMap } from './workadventure';

/**
 * How a Tiled map (.tmj) is read: one parser and one set of rules for the server, which refuses
 * a bad map at start-up, and the web client, which draws and walks the same map. Two conventions
 * side by side (docs/OPERATIONS.md, "Maps"): our own (imw.ts) and WorkAdventure's
 * (workadventure.ts). R-MAP-1: a map is ours when it has a top-level layer named "spawns" or
 * "collision"; otherwise it is read as a WorkAdventure map.
 */

export type { ParsedMap } from './imw';

/** A map that cannot be used. Thrown at start-up so a bad map never reaches a player. */
export class SceneMapError extends Error {
  constructor(
    readonly mapId: string,
    /** The reason alone, without the map id (for one log line that names the file). */
    readonly reason: string,
  ) {
    super(`map "${mapId}": ${reason}`);
    this.name = 'SceneMapError';
  }
}

const OUR_LAYERS = new Set(['spawns', 'collision']);

/** R-MAP-1: which convention a document follows. */
export function conventionOf(json: unknown): MapConvention {
  if (typeof json !== 'object' || json === null) return 'imw';
  const layers = (json as { layers?: unknown }).layers;
  const ours =
    Array.isArray(layers) &&
    layers.some(
      (l) => typeof l === 'object' && l !== null && OUR_LAYERS.has(String((l as { name?: unknown }).name)),
    );
  return ours ? 'imw' : 'workadventure';
}

/** Parse and validate one .tmj document. `id` is the scene id (the file name without `.tmj`). */
export function loadMap(json: unknown, id: string): SceneMap {
  return parseMap(json, id).map;
}

/** Like loadMap, and hands back what drawing needs too (tile layers in order, tilesets). */
export function parseMap(json: unknown, id: string): ParsedMap {
  const fail: Fail = (message) => {
    throw new SceneMapError(id, message);
  };
  if (!SCENE_ID_RE.test(id)) fail('the scene id must be 1-64 chars of a-z 0-9 _ -');
  const refusal = refusalOf(json);
  if (refusal) fail(refusal);
  return conventionOf(json) === 'imw' ? parseImwMap(json, id, fail) : parseWorkAdventureMap(json, id, fail);
}

/** Every portal must lead to a scene that exists and to a spawn that scene has. */
export function checkPortalLinks(maps: ReadonlyMap<string, SceneMap>): void {
  for (const [id, reason] of portalProblems(maps)) throw new SceneMapError(id, reason);
}

/** The maps whose portals lead nowhere, each with the first such portal as the reason. */
export function portalProblems(maps: ReadonlyMap<string, SceneMap>): Map<string, string> {
  const out = new Map<string, string>();
  for (const map of maps.values()) {
    for (const p of map.portals) {
      const target = maps.get(p.targetScene);
      if (!target) {
        out.set(map.id, `portal "${p.name}" leads to unknown scene "${p.targetScene}"`);
        break;
      }
      if (p.targetSpawn !== null && !target.spawns.some((s) => s.name === p.targetSpawn)) {
        out.set(
          map.id,
          `portal "${p.name}" leads to spawn "${p.targetSpawn}", which scene "${p.targetScene}" lacks`,
        );
        break;
      }
    }
  }
  return out;
}

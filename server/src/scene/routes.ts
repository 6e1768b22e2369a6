import type { MapList } from '@imw/shared';
import { type HttpRoute, json } from '../core';
import type { SceneMap } from './types';

/**
 * R-MAP-9: `GET /maps`, the public list of maps for the login form: id, name and description,
 * the default map first, the rest by name. Nothing in it changes while the node runs.
 */
export function mapListRoutes(maps: ReadonlyMap<string, SceneMap>, defaultMap: string): HttpRoute[] {
  const list: MapList = {
    maps: [...maps.values()]
      .sort(
        (a, b) => Number(b.id === defaultMap) - Number(a.id === defaultMap) || a.name.localeCompare(b.name),
      )
      .map((m) => ({ id: m.id, name: m.name, description: m.description })),
  };
  return [{ method: 'GET', path: '/maps', handle: () => json(200, list) }];
}

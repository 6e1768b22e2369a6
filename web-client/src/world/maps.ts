import { type MapList, mapList } from '@imw/shared';
import { useEffect, useState } from 'react';

/** The maps the server offers (R-MAP-9: `GET /maps`), fetched once per page and parsed at the edge. */
export type MapEntry = MapList['maps'][number];

let pending: Promise<MapEntry[]> | null = null;

export function fetchMapList(): Promise<MapEntry[]> {
  pending ??= fetch('/maps')
    .then(async (res) => {
      if (!res.ok) throw new Error(`GET /maps: ${res.status}`);
      return mapList.parse(await res.json()).maps;
    })
    .catch((e: unknown) => {
      pending = null; // try again next time
      throw e;
    });
  return pending;
}

/** The list, or null while it loads (or when it could not be loaded). */
export function useMapList(): MapEntry[] | null {
  const [maps, setMaps] = useState<MapEntry[] | null>(null);
  useEffect(() => {
    let live = true;
    fetchMapList().then(
      (list) => live && setMaps(list),
      (e: unknown) => console.error(e),
    );
    return () => {
      live = false;
    };
  }, []);
  return maps;
}

/** A map's own name (mapName), else its id. */
export function useMapName(id: string | null): string {
  const maps = useMapList();
  return maps?.find((m) => m.id === id)?.name ?? id ?? '';
}

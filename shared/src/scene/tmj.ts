import { z } from 'zod';

/**
 * Tiled's JSON map format (.tmj), read loosely: every layer kind and object kind Tiled writes is
 * accepted, and the conventions (imw.ts, workadventure.ts) take what they use and ignore the rest.
 * What cannot be read at all is refused first, with a reason a map maker can act on
 * (`refusalOf`): external tilesets, compressed or infinite layers, non-orthogonal maps.
 */

export type Fail = (message: string) => never;

/** Tiled keeps flip/rotation flags in the top bits of a gid. */
export const GID_MASK = 0x1fff_ffff;

const propertyValue = z.union([z.string(), z.number(), z.boolean()]);
const property = z.object({ name: z.string(), type: z.string().optional(), value: propertyValue });
export type PropertyValue = z.infer<typeof propertyValue>;
const properties = z.array(property).optional();

const object = z.object({
  id: z.number().int(),
  name: z.string().default(''),
  /** Tiled 1.9+ writes `class`; older versions `type`. */
  class: z.string().optional(),
  type: z.string().optional(),
  x: z.number(),
  y: z.number(),
  width: z.number().min(0).default(0),
  height: z.number().min(0).default(0),
  rotation: z.number().optional(),
  point: z.boolean().optional(),
  ellipse: z.boolean().optional(),
  polygon: z.array(z.object({ x: z.number(), y: z.number() })).optional(),
  polyline: z.array(z.unknown()).optional(),
  gid: z.number().optional(),
  text: z.unknown().optional(),
  properties,
});
export type LooseObject = z.infer<typeof object>;

const gids = z.array(
  z
    .number()
    .int()
    .min(0)
    .max(2 ** 32 - 1),
);
const tileLayer = z.object({
  type: z.literal('tilelayer'),
  name: z.string(),
  width: z.number().int().positive(),
  height: z.number().int().positive(),
  visible: z.boolean().optional(),
  encoding: z.enum(['csv', 'base64']).optional(),
  compression: z.literal('').optional(),
  data: z.union([gids, z.string()]),
  properties,
});
const objectGroup = z.object({
  type: z.literal('objectgroup'),
  name: z.string(),
  objects: z.array(object),
  properties,
});
const imageLayer = z.object({ type: z.literal('imagelayer'), name: z.string(), properties });

export type LooseTileLayer = z.infer<typeof tileLayer>;
export type LooseObjectGroup = z.infer<typeof objectGroup>;
export type LooseLayer =
  | LooseTileLayer
  | LooseObjectGroup
  | z.infer<typeof imageLayer>
  | { type: 'group'; name: string; layers: LooseLayer[]; properties?: z.infer<typeof properties> };

const layer: z.ZodType<LooseLayer> = z.lazy(() =>
  z.discriminatedUnion('type', [
    tileLayer,
    objectGroup,
    imageLayer,
    z.object({ type: z.literal('group'), name: z.string(), layers: z.array(layer), properties }),
  ]),
);

const tileset = z.object({
  firstgid: z.number().int().positive(),
  name: z.string(),
  image: z.string().min(1),
  tilewidth: z.number().int().positive(),
  tileheight: z.number().int().positive(),
  tilecount: z.number().int().positive(),
  columns: z.number().int().positive(),
  margin: z.number().int().min(0).default(0),
  spacing: z.number().int().min(0).default(0),
  tiles: z.array(z.object({ id: z.number().int().min(0), properties })).optional(),
  properties,
});
export type LooseTileset = z.infer<typeof tileset>;

export const looseMap = z.object({
  type: z.literal('map'),
  width: z.number().int().positive().max(1024),
  height: z.number().int().positive().max(1024),
  tilewidth: z.number().int().positive().max(256),
  tileheight: z.number().int().positive().max(256),
  layers: z.array(layer),
  tilesets: z.array(tileset).min(1),
  properties,
});
export type LooseMap = z.infer<typeof looseMap>;

/**
 * R-MAP-3: what no convention can read, as one sentence. Checked on the raw JSON before any
 * schema, so the reason is the real one and not a schema path.
 */
export function refusalOf(json: unknown): string | null {
  if (typeof json !== 'object' || json === null) return null;
  const m = json as Record<string, unknown>;
  if (m.orientation !== undefined && m.orientation !== 'orthogonal') {
    return `${String(m.orientation)} maps are not supported (orthogonal only)`;
  }
  if (m.infinite === true) return 'infinite maps are not supported (Map > Map Properties > Infinite: off)';
  for (const t of Array.isArray(m.tilesets) ? m.tilesets : []) {
    const ts = t as Record<string, unknown> | null;
    if (ts && typeof ts.source === 'string') {
      return `external tileset ${ts.source}: embed it in the map (Tiled: Map > Embed Tilesets)`;
    }
    if (ts && ts.image === undefined && Array.isArray(ts.tiles)) {
      return `tileset "${String(ts.name)}" is a collection of images; only single-image tilesets are supported`;
    }
  }
  const walk = (layers: unknown): string | null => {
    for (const l of Array.isArray(layers) ? layers : []) {
      const layer = l as Record<string, unknown> | null;
      if (!layer) continue;
      if (typeof layer.compression === 'string' && layer.compression !== '') {
        return `layer "${String(layer.name)}" is compressed (${layer.compression}); save tile layers as CSV`;
      }
      if (Array.isArray(layer.chunks)) return `layer "${String(layer.name)}" is chunked (an infinite map)`;
      const inner = walk(layer.layers);
      if (inner) return inner;
    }
    return null;
  };
  return walk(m.layers);
}

export function propertyMap(props: readonly { name: string; value: PropertyValue }[] | undefined) {
  return new Map<string, PropertyValue>((props ?? []).map((p) => [p.name, p.value]));
}

/** A layer with its group's properties merged under its own, as WorkAdventure reads groups. */
export interface FlatLayer {
  readonly layer: Exclude<LooseLayer, { type: 'group' }>;
  readonly props: ReadonlyMap<string, PropertyValue>;
  /** Hidden by itself or by a group it is in. */
  readonly hidden: boolean;
}

/** Group layers flattened in drawing order (depth first), as Tiled draws them. */
export function flattenLayers(layers: readonly LooseLayer[]): FlatLayer[] {
  const out: FlatLayer[] = [];
  const walk = (
    list: readonly LooseLayer[],
    inherited: ReadonlyMap<string, PropertyValue>,
    hidden: boolean,
  ) => {
    for (const l of list) {
      const own = propertyMap(l.properties);
      const props = new Map([...inherited, ...own]);
      const isHidden = hidden || ('visible' in l && l.visible === false);
      if (l.type === 'group') walk(l.layers, props, isHidden);
      else out.push({ layer: l, props, hidden: isHidden });
    }
  };
  walk(layers, new Map(), false);
  return out;
}

/** A tile layer's gids (CSV array or uncompressed base64, little-endian u32), flip bits cleared. */
export function decodeGids(l: LooseTileLayer, cells: number, fail: Fail): Uint32Array {
  let raw: ArrayLike<number>;
  if (typeof l.data === 'string') {
    if (l.encoding !== 'base64') fail(`layer "${l.name}": string data needs encoding base64`);
    const bytes = Uint8Array.from(atob(l.data), (c) => c.charCodeAt(0));
    if (bytes.length !== cells * 4) fail(`layer "${l.name}" must hold ${cells} gids`);
    raw = new Uint32Array(cells).map(
      (_, i) =>
        (bytes[i * 4]! | (bytes[i * 4 + 1]! << 8) | (bytes[i * 4 + 2]! << 16) | (bytes[i * 4 + 3]! << 24)) >>>
        0,
    );
  } else {
    raw = l.data;
  }
  if (raw.length !== cells) fail(`layer "${l.name}" must hold ${cells} gids, has ${raw.length}`);
  return Uint32Array.from(raw, (g) => g & GID_MASK);
}

/** The `class` of an object (Tiled 1.9+), else its `type` (older Tiled). */
export function classOf(o: LooseObject): string {
  return o.class || o.type || '';
}

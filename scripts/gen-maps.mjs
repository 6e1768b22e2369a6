#!/usr/bin/env node
/**
 * Writes the scene maps server/maps/plaza.tmj and server/maps/park.tmj (Tiled JSON, 32 px tiles,
 * embedded tileset tiles.png from gen-tileset.mjs). Maps can be edited in Tiled afterwards; this
 * script is how the first versions were drawn, and re-running it overwrites them.
 *
 *   node scripts/gen-maps.mjs [outDir]
 */
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const TILE = 32;
/** gids (firstgid 1), in the order gen-tileset.mjs draws them. */
const G = { grass: 1, path: 2, wall: 3, water: 4, wood: 5, carpet: 6, door: 7, flowers: 8 };

/** Even-odd crossing test, the rule server/src/scene/geometry.ts applies (used here only to paint). */
function insidePolygon(x, y, pts) {
  let inside = false;
  for (let i = 0, j = pts.length - 1; i < pts.length; j = i++) {
    const [ax, ay] = pts[i];
    const [bx, by] = pts[j];
    if (ay > y !== by > y && x < ((bx - ax) * (y - ay)) / (by - ay) + ax) inside = !inside;
  }
  return inside;
}

function makeMap(width, height) {
  const ground = new Array(width * height).fill(G.grass);
  const collision = new Array(width * height).fill(0);
  let nextId = 1;
  const objects = { spawns: [], areas: [], portals: [] };
  const at = (x, y) => y * width + x;
  const m = {
    width,
    height,
    fill(x0, y0, x1, y1, gid) {
      for (let y = y0; y <= y1; y++) for (let x = x0; x <= x1; x++) ground[at(x, y)] = gid;
    },
    wall(x, y) {
      ground[at(x, y)] = G.wall;
      collision[at(x, y)] = G.wall;
    },
    water(x0, y0, x1, y1) {
      m.fill(x0, y0, x1, y1, G.water);
      for (let y = y0; y <= y1; y++) for (let x = x0; x <= x1; x++) collision[at(x, y)] = G.water;
    },
    /** A walled room over tiles [x0..x1]×[y0..y1] (walls included), doorways as [x, y] tiles. */
    room(name, x0, y0, x1, y1, floor, doors) {
      m.fill(x0 + 1, y0 + 1, x1 - 1, y1 - 1, floor);
      for (let x = x0; x <= x1; x++) {
        m.wall(x, y0);
        m.wall(x, y1);
      }
      for (let y = y0; y <= y1; y++) {
        m.wall(x0, y);
        m.wall(x1, y);
      }
      for (const [x, y] of doors) {
        ground[at(x, y)] = G.door;
        collision[at(x, y)] = 0;
      }
      // The sub-area is the floor inside the walls; a doorway is still outside.
      m.rectArea(name, x0 + 1, y0 + 1, x1 - x0 - 1, y1 - y0 - 1);
    },
    rectArea(name, tx, ty, wTiles, hTiles) {
      objects.areas.push(
        obj(name, { x: tx * TILE, y: ty * TILE, width: wTiles * TILE, height: hTiles * TILE }),
      );
    },
    /**
     * Polygon vertices in pixels, relative to (xPx, yPx), as Tiled stores them. Tiles whose centre
     * is inside get `floor`, so what players see is the sub-area.
     */
    polygonArea(name, xPx, yPx, points, floor) {
      const abs = points.map(([x, y]) => [xPx + x, yPx + y]);
      for (let ty = 0; ty < height; ty++) {
        for (let tx = 0; tx < width; tx++) {
          if (insidePolygon(tx * TILE + TILE / 2, ty * TILE + TILE / 2, abs)) ground[at(tx, ty)] = floor;
        }
      }
      objects.areas.push(obj(name, { x: xPx, y: yPx, polygon: points.map(([x, y]) => ({ x, y })) }));
    },
    spawn(name, tx, ty) {
      objects.spawns.push(obj(name, { x: tx * TILE + TILE / 2, y: ty * TILE + TILE / 2, point: true }));
    },
    portal(name, tx, ty, wTiles, hTiles, targetScene, targetSpawn) {
      objects.portals.push(
        obj(name, {
          x: tx * TILE,
          y: ty * TILE,
          width: wTiles * TILE,
          height: hTiles * TILE,
          properties: [
            { name: 'targetScene', type: 'string', value: targetScene },
            { name: 'targetSpawn', type: 'string', value: targetSpawn },
          ],
        }),
      );
    },
    border() {
      for (let x = 0; x < width; x++) {
        m.wall(x, 0);
        m.wall(x, height - 1);
      }
      for (let y = 0; y < height; y++) {
        m.wall(0, y);
        m.wall(width - 1, y);
      }
    },
    toJson(props) {
      const tileLayer = (id, name, data) => ({
        id,
        name,
        type: 'tilelayer',
        x: 0,
        y: 0,
        width,
        height,
        opacity: 1,
        visible: true,
        data,
      });
      const objectLayer = (id, name, objs) => ({
        id,
        name,
        type: 'objectgroup',
        draworder: 'topdown',
        x: 0,
        y: 0,
        opacity: 1,
        visible: true,
        objects: objs,
      });
      return {
        type: 'map',
        version: '1.10',
        tiledversion: '1.11.0',
        orientation: 'orthogonal',
        renderorder: 'right-down',
        compressionlevel: -1,
        infinite: false,
        width,
        height,
        tilewidth: TILE,
        tileheight: TILE,
        nextlayerid: 6,
        nextobjectid: nextId,
        properties: Object.entries(props).map(([name, value]) => ({
          name,
          type: typeof value === 'string' ? 'string' : 'int',
          value,
        })),
        tilesets: [
          {
            firstgid: 1,
            name: 'tiles',
            image: 'tiles.png',
            imagewidth: 8 * TILE,
            imageheight: TILE,
            tilewidth: TILE,
            tileheight: TILE,
            tilecount: 8,
            columns: 8,
            margin: 0,
            spacing: 0,
          },
        ],
        layers: [
          tileLayer(1, 'ground', ground),
          tileLayer(2, 'collision', collision),
          objectLayer(3, 'spawns', objects.spawns),
          objectLayer(4, 'areas', objects.areas),
          objectLayer(5, 'portals', objects.portals),
        ],
      };
    },
  };
  function obj(name, fields) {
    return { id: nextId++, name, type: '', rotation: 0, visible: true, width: 0, height: 0, ...fields };
  }
  return m;
}

/** 60×40: four walled rooms (two of them sharing a wall), a polygon garden with a pond. */
function plaza() {
  const m = makeMap(60, 40);
  m.border();
  m.fill(1, 19, 58, 20, G.path);
  m.fill(29, 1, 30, 38, G.path);
  m.room('Cafe', 3, 3, 16, 14, G.wood, [
    [9, 14],
    [10, 14],
  ]);
  m.room('Library', 43, 3, 56, 14, G.carpet, [
    [49, 14],
    [50, 14],
  ]);
  m.room('Meeting Room', 3, 25, 16, 36, G.carpet, [
    [9, 25],
    [10, 25],
  ]);
  // Shares its west wall (x = 16) with the Meeting Room: adjacent rooms, separate sub-areas.
  m.room('Quiet Room', 16, 25, 24, 36, G.wood, [[20, 25]]);
  // An octagonal garden around a pond; no walls, so the polygon alone makes it a sub-area.
  m.polygonArea(
    'Garden',
    38 * TILE,
    23 * TILE,
    [
      [4 * TILE, 0],
      [14 * TILE, 0],
      [18 * TILE, 4 * TILE],
      [18 * TILE, 11 * TILE],
      [14 * TILE, 15 * TILE],
      [4 * TILE, 15 * TILE],
      [0, 11 * TILE],
      [0, 4 * TILE],
    ],
    G.flowers,
  );
  m.water(45, 28, 48, 31);
  m.fill(57, 19, 58, 20, G.door);
  m.portal('to park', 57, 19, 2, 2, 'park', 'fromPlaza');
  m.spawn('default', 30, 20);
  m.spawn('fromPark', 54, 19);
  m.spawn('cafe', 9, 8);
  return m.toJson({
    viewRadiusPx: 320,
    hearingRadiusPx: 192,
    maxSpeedPxPerSec: 240,
    mapName: 'Plaza',
    mapDescription: 'A town square with a cafe, a library, a meeting room and a garden.',
  });
}

/** 30×20: a walled gazebo and a triangular picnic area, a pond. */
function park() {
  const m = makeMap(30, 20);
  m.border();
  m.fill(1, 9, 28, 10, G.path);
  m.room('Gazebo', 18, 2, 26, 7, G.wood, [[22, 7]]);
  m.water(6, 13, 9, 16);
  m.polygonArea(
    'Picnic Area',
    16 * TILE,
    12 * TILE,
    [
      [0, 7 * TILE],
      [6 * TILE, 0],
      [12 * TILE, 7 * TILE],
    ],
    G.flowers,
  );
  m.fill(1, 9, 2, 10, G.door);
  m.portal('to plaza', 1, 9, 2, 2, 'plaza', 'fromPark');
  m.spawn('default', 14, 9);
  m.spawn('fromPlaza', 4, 9);
  return m.toJson({
    viewRadiusPx: 256,
    hearingRadiusPx: 160,
    maxSpeedPxPerSec: 240,
    mapName: 'Park',
    mapDescription: 'A park with a gazebo and a picnic area.',
  });
}

/** JSON with tile layers written one map row per line, as readable as Tiled's own CSV. */
function stringify(map) {
  const rows = new Map();
  const text = JSON.stringify(
    map,
    (key, value) => {
      if (key !== 'data' || !Array.isArray(value)) return value;
      const marker = `@@data${rows.size}@@`;
      const lines = [];
      for (let y = 0; y < map.height; y++)
        lines.push(value.slice(y * map.width, (y + 1) * map.width).join(','));
      rows.set(marker, `[\n${lines.map((l) => `        ${l}`).join(',\n')}\n      ]`);
      return marker;
    },
    2,
  );
  return `${text.replace(/"(@@data\d+@@)"/g, (_, marker) => rows.get(marker))}\n`;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const outDir = process.argv[2] ?? join(dirname(fileURLToPath(import.meta.url)), '..', 'server', 'maps');
  for (const [name, map] of [
    ['plaza', plaza()],
    ['park', park()],
  ]) {
    const file = join(outDir, `${name}.tmj`);
    writeFileSync(file, stringify(map));
    console.log(`wrote ${file} (${map.width}x${map.height})`);
  }
}

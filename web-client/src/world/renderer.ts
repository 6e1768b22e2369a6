import { type SceneAction, shapeBounds } from '@imw/shared';
import { BODY_RADIUS_PX } from './geometry';
import type { ClientMap, Point } from './map';
import type { Avatar, Bubble, SceneController } from './scene';
import { wrapText } from './wrap';

/**
 * Draws a scene on a Canvas 2D: the map's tile layers (pre-rendered in chunks, so a frame costs
 * a few drawImage calls however large the map), room names, the hearing radius, avatars with
 * their names, actions and chat bubbles. World coordinates are map pixels; the camera follows
 * the user and stops at the map's edges.
 */

export interface Camera {
  /** World position of the viewport's top-left corner. */
  readonly x: number;
  readonly y: number;
  readonly zoom: number;
}

const CHUNK_TILES = 16;
const FONT = '600 12px system-ui, -apple-system, "Segoe UI", Roboto, sans-serif';
const BUBBLE_FONT = '13px system-ui, -apple-system, "Segoe UI", Roboto, sans-serif';
const BUBBLE_MAX_WIDTH_PX = 180;
const BUBBLE_MAX_LINES = 4;
const ACTION_LABEL: Record<SceneAction, string> = {
  wave: 'waves',
  dance: 'dances',
  sit: 'sits',
  jump: 'jumps',
  clap: 'claps',
  think: 'thinks…',
};

/** A stable, distinct colour per user id (golden-angle hues), the same on every client. */
export function colorFor(id: number): string {
  return `hsl(${Math.round((id * 137.508) % 360)} 62% 52%)`;
}

/** Smaller screens see a little more of the map. */
export function zoomFor(viewW: number, viewH: number): number {
  return Math.min(viewW, viewH) < 480 ? 0.75 : 1;
}

export function cameraFor(map: ClientMap, focus: Point, viewW: number, viewH: number): Camera {
  const zoom = zoomFor(viewW, viewH);
  const w = viewW / zoom;
  const h = viewH / zoom;
  const axis = (focus: number, view: number, size: number) =>
    size <= view ? (size - view) / 2 : Math.min(Math.max(focus - view / 2, 0), size - view);
  return { x: axis(focus.x, w, map.widthPx), y: axis(focus.y, h, map.heightPx), zoom };
}

export function screenToWorld(cam: Camera, sx: number, sy: number): Point {
  return { x: cam.x + sx / cam.zoom, y: cam.y + sy / cam.zoom };
}

export class Renderer {
  private readonly ctx: CanvasRenderingContext2D;
  private chunkMap: ClientMap | null = null;
  private readonly chunks = new Map<number, HTMLCanvasElement>();
  private readonly chunksAbove = new Map<number, HTMLCanvasElement>();
  private readonly textWidths = new Map<string, number>();
  private readonly wrapped = new Map<string, string[]>();

  constructor(private readonly canvas: HTMLCanvasElement) {
    const ctx = canvas.getContext('2d', { alpha: false });
    if (!ctx) throw new Error('this browser cannot draw on a canvas');
    this.ctx = ctx;
  }

  draw(scene: SceneController, now: number, viewW: number, viewH: number, dpr: number): Camera | null {
    const { ctx, canvas } = this;
    const map = scene.map;
    const wantW = Math.max(1, Math.round(viewW * dpr));
    const wantH = Math.max(1, Math.round(viewH * dpr));
    if (canvas.width !== wantW || canvas.height !== wantH) {
      canvas.width = wantW;
      canvas.height = wantH;
    }
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    ctx.fillStyle = '#1f2a24';
    ctx.fillRect(0, 0, wantW, wantH);
    if (!map || !scene.ready) return null;

    const cam = cameraFor(map, scene.self, viewW, viewH);
    const s = cam.zoom * dpr;
    ctx.setTransform(s, 0, 0, s, -cam.x * s, -cam.y * s);
    ctx.imageSmoothingEnabled = false;
    this.drawMap(map, cam, viewW / cam.zoom, viewH / cam.zoom, false);
    this.drawRoomNames(map);
    this.drawHearing(scene, map);
    this.drawConversations(scene, map);
    if (scene.target) this.drawTarget(scene.target, now);

    // Painter's order: lower on the screen is nearer, drawn last; on a tie the user is on top.
    const self = scene.self;
    const avatars: Avatar[] = [...scene.others.values(), self];
    avatars.sort((a, b) => a.y - b.y || (a === self ? 1 : b === self ? -1 : 0));
    for (const a of avatars) this.drawAvatar(a, a === self, scene.shownAction(a, now), now);
    // R-MAP-4: roofs, tree tops and the like go over the players; bubbles stay readable above all.
    if (map.layersAbove.length > 0) this.drawMap(map, cam, viewW / cam.zoom, viewH / cam.zoom, true);
    for (const a of avatars) {
      const b = scene.bubbles.get(a.id);
      if (b) this.drawBubble(a, b);
    }
    return cam;
  }

  // ---- map ----

  private drawMap(map: ClientMap, cam: Camera, w: number, h: number, above: boolean): void {
    if (this.chunkMap !== map) {
      this.chunks.clear();
      this.chunksAbove.clear();
      this.chunkMap = map;
    }
    const cache = above ? this.chunksAbove : this.chunks;
    const chunkPx = CHUNK_TILES * map.tileSizePx;
    const cols = Math.ceil(map.widthTiles / CHUNK_TILES);
    const x0 = Math.max(0, Math.floor(cam.x / chunkPx));
    const y0 = Math.max(0, Math.floor(cam.y / chunkPx));
    const x1 = Math.min(cols - 1, Math.floor((cam.x + w) / chunkPx));
    const y1 = Math.min(Math.ceil(map.heightTiles / CHUNK_TILES) - 1, Math.floor((cam.y + h) / chunkPx));
    for (let cy = y0; cy <= y1; cy++) {
      for (let cx = x0; cx <= x1; cx++) {
        const key = cy * cols + cx;
        let chunk = cache.get(key);
        if (!chunk) {
          chunk = renderChunk(map, above ? map.layersAbove : map.layers, cx, cy);
          cache.set(key, chunk);
        }
        this.ctx.drawImage(chunk, cx * chunkPx, cy * chunkPx);
      }
    }
  }

  private drawRoomNames(map: ClientMap): void {
    const { ctx } = this;
    ctx.font = FONT;
    ctx.textAlign = 'center';
    ctx.textBaseline = 'top';
    ctx.fillStyle = 'rgb(255 255 255 / 55%)';
    for (const a of map.areas) {
      if (a.name.startsWith('#')) continue; // an unnamed zone (silent or a meeting): no label
      const b = shapeBounds(a.shape);
      ctx.fillText(a.name.toUpperCase(), b.x + b.widthPx / 2, b.y + 8);
    }
  }

  /** A ring around each bubble's members in view (the server decides the members, R-BUB-1). */
  private drawConversations(scene: SceneController, map: ClientMap): void {
    const { ctx } = this;
    for (const members of scene.conversations) {
      const at = members
        .map((id) => (id === scene.self.id ? scene.self : scene.others.get(id)))
        .filter((a) => a !== undefined);
      if (at.length === 0) continue;
      const cx = at.reduce((n, a) => n + a.x, 0) / at.length;
      const cy = at.reduce((n, a) => n + a.y, 0) / at.length;
      const r = Math.max(...at.map((a) => Math.hypot(a.x - cx, a.y - cy))) + map.tileSizePx * 0.75;
      ctx.beginPath();
      ctx.arc(cx, cy, r, 0, Math.PI * 2);
      ctx.fillStyle = 'rgb(59 178 115 / 18%)';
      ctx.fill();
      ctx.lineWidth = 2;
      ctx.strokeStyle = 'rgb(59 178 115 / 80%)';
      ctx.stroke();
    }
  }

  private drawHearing(scene: SceneController, map: ClientMap): void {
    const { ctx } = this;
    ctx.beginPath();
    ctx.arc(scene.self.x, scene.self.y, map.hearingRadiusPx, 0, Math.PI * 2);
    ctx.fillStyle = 'rgb(255 255 255 / 6%)';
    ctx.fill();
    ctx.setLineDash([6, 6]);
    ctx.lineWidth = 1.5;
    ctx.strokeStyle = 'rgb(255 255 255 / 35%)';
    ctx.stroke();
    ctx.setLineDash([]);
  }

  private drawTarget(p: Point, now: number): void {
    const { ctx } = this;
    const r = 6 + Math.sin(now / 150) * 2;
    ctx.beginPath();
    ctx.ellipse(p.x, p.y, r * 1.6, r, 0, 0, Math.PI * 2);
    ctx.strokeStyle = 'rgb(255 255 255 / 85%)';
    ctx.lineWidth = 2;
    ctx.stroke();
  }

  // ---- avatars ----

  private drawAvatar(a: Avatar, isSelf: boolean, action: SceneAction | null, now: number): void {
    const { ctx } = this;
    const t = now / 1000;
    let dx = 0;
    let dy = 0;
    let squash = 1;
    if (action === 'jump') dy = -Math.abs(Math.sin(t * 8)) * 12;
    if (action === 'dance') {
      dx = Math.sin(t * 10) * 4;
      dy = -Math.abs(Math.cos(t * 10)) * 4;
    }
    if (action === 'sit') squash = 0.7;
    const r = BODY_RADIUS_PX + 3;
    const x = a.x + dx;
    const y = a.y + dy;

    // Shadow stays on the ground while the body jumps.
    ctx.beginPath();
    ctx.ellipse(a.x, a.y + r * 0.85, r * 0.9, r * 0.35, 0, 0, Math.PI * 2);
    ctx.fillStyle = 'rgb(0 0 0 / 28%)';
    ctx.fill();

    ctx.beginPath();
    ctx.ellipse(x, y + r * (1 - squash), r, r * squash, 0, 0, Math.PI * 2);
    ctx.fillStyle = colorFor(a.id);
    ctx.fill();
    ctx.lineWidth = isSelf ? 3 : 2;
    ctx.strokeStyle = isSelf ? '#ffffff' : 'rgb(255 255 255 / 80%)';
    ctx.stroke();

    // Eyes look where the avatar faces.
    const look = { up: [0, -1], down: [0, 1], left: [-1, 0], right: [1, 0] }[a.facing];
    const ex = x + look[0]! * 4;
    const ey = y + r * (1 - squash) + look[1]! * 3 - 2;
    ctx.fillStyle = '#1e1f22';
    if (a.facing !== 'up') {
      for (const side of [-1, 1]) {
        ctx.beginPath();
        ctx.arc(ex + side * 4.5, ey, 2, 0, Math.PI * 2);
        ctx.fill();
      }
    }
    if (action === 'wave' || action === 'clap') this.drawHands(x, y, r, action, t);

    this.drawLabel(a.name, a.x, a.y + r + 6, isSelf);
    if (action && action !== 'sit') this.drawActionTag(ACTION_LABEL[action], x, y - r - 8);
  }

  private drawHands(x: number, y: number, r: number, action: 'wave' | 'clap', t: number): void {
    const { ctx } = this;
    ctx.fillStyle = '#ffd9b3';
    if (action === 'wave') {
      const angle = -Math.PI / 3 + Math.sin(t * 12) * 0.5;
      ctx.beginPath();
      ctx.arc(x + Math.cos(angle) * (r + 6), y + Math.sin(angle) * (r + 6), 4, 0, Math.PI * 2);
      ctx.fill();
    } else {
      const gap = 2 + Math.abs(Math.sin(t * 14)) * 6;
      for (const side of [-1, 1]) {
        ctx.beginPath();
        ctx.arc(x + side * gap, y - r - 2, 4, 0, Math.PI * 2);
        ctx.fill();
      }
    }
  }

  private drawLabel(text: string, x: number, y: number, isSelf: boolean): void {
    const { ctx } = this;
    ctx.font = FONT;
    const w = this.width(text, FONT) + 10;
    ctx.fillStyle = isSelf ? 'rgb(88 101 242 / 92%)' : 'rgb(17 18 20 / 70%)';
    roundRect(ctx, x - w / 2, y, w, 17, 8);
    ctx.fill();
    ctx.fillStyle = '#ffffff';
    ctx.textAlign = 'center';
    ctx.textBaseline = 'middle';
    ctx.fillText(text, x, y + 9);
  }

  private drawActionTag(text: string, x: number, y: number): void {
    const { ctx } = this;
    ctx.font = `italic ${FONT}`;
    ctx.textAlign = 'center';
    ctx.textBaseline = 'bottom';
    ctx.lineWidth = 3;
    ctx.strokeStyle = 'rgb(17 18 20 / 70%)';
    ctx.strokeText(text, x, y);
    ctx.fillStyle = '#fff7d6';
    ctx.fillText(text, x, y);
  }

  private drawBubble(a: Avatar, b: Bubble): void {
    const { ctx } = this;
    ctx.font = BUBBLE_FONT;
    const lines = this.wrap(b.text);
    const lineH = 17;
    const w = Math.max(...lines.map((l) => this.width(l, BUBBLE_FONT))) + 16;
    const h = lines.length * lineH + 10;
    const x = a.x - w / 2;
    const y = a.y - BODY_RADIUS_PX - 30 - h;
    ctx.fillStyle = '#ffffff';
    ctx.strokeStyle = 'rgb(17 18 20 / 25%)';
    ctx.lineWidth = 1;
    roundRect(ctx, x, y, w, h, 10);
    ctx.fill();
    ctx.stroke();
    ctx.beginPath();
    ctx.moveTo(a.x - 6, y + h - 0.5);
    ctx.lineTo(a.x, y + h + 7);
    ctx.lineTo(a.x + 6, y + h - 0.5);
    ctx.fill();
    ctx.fillStyle = '#1e1f22';
    ctx.textAlign = 'center';
    ctx.textBaseline = 'top';
    for (const [i, l] of lines.entries()) ctx.fillText(l, a.x, y + 6 + i * lineH);
  }

  private width(text: string, font: string): number {
    const key = `${font}|${text}`;
    let w = this.textWidths.get(key);
    if (w === undefined) {
      this.ctx.font = font;
      w = this.ctx.measureText(text).width;
      if (this.textWidths.size > 2000) this.textWidths.clear();
      this.textWidths.set(key, w);
    }
    return w;
  }

  /** Wraps a bubble's text to a few lines (wrapText), with an ellipsis when it is longer. */
  private wrap(text: string): string[] {
    let lines = this.wrapped.get(text);
    if (lines) return lines;
    lines = wrapText(text, BUBBLE_MAX_WIDTH_PX, (t) => this.width(t, BUBBLE_FONT));
    if (lines.length > BUBBLE_MAX_LINES) {
      lines = lines.slice(0, BUBBLE_MAX_LINES);
      lines[BUBBLE_MAX_LINES - 1] = `${clip(lines[BUBBLE_MAX_LINES - 1]!, 20)}…`;
    }
    if (this.wrapped.size > 200) this.wrapped.clear();
    this.wrapped.set(text, lines);
    return lines;
  }
}

const clip = (s: string, n: number) => (s.length > n ? `${s.slice(0, n)}…` : s);

function roundRect(
  ctx: CanvasRenderingContext2D,
  x: number,
  y: number,
  w: number,
  h: number,
  r: number,
): void {
  ctx.beginPath();
  ctx.roundRect(x, y, w, h, r);
}

/** Draws the given tile layers of one chunk into its own canvas, once. */
function renderChunk(
  map: ClientMap,
  layers: readonly Uint32Array[],
  cx: number,
  cy: number,
): HTMLCanvasElement {
  const size = map.tileSizePx;
  const canvas = document.createElement('canvas');
  const tx0 = cx * CHUNK_TILES;
  const ty0 = cy * CHUNK_TILES;
  const tw = Math.min(CHUNK_TILES, map.widthTiles - tx0);
  const th = Math.min(CHUNK_TILES, map.heightTiles - ty0);
  canvas.width = tw * size;
  canvas.height = th * size;
  const ctx = canvas.getContext('2d');
  if (!ctx) return canvas;
  ctx.imageSmoothingEnabled = false;
  for (const layer of layers) {
    for (let ty = 0; ty < th; ty++) {
      for (let tx = 0; tx < tw; tx++) {
        const gid = layer[(ty0 + ty) * map.widthTiles + tx0 + tx] ?? 0;
        if (gid === 0) continue;
        const ts = map.tilesets.findLast((t) => gid >= t.firstGid);
        if (!ts || gid >= ts.firstGid + ts.tileCount) continue;
        const local = gid - ts.firstGid;
        const sx = ts.marginPx + (local % ts.columns) * (ts.tileSizePx + ts.spacingPx);
        const sy = ts.marginPx + Math.floor(local / ts.columns) * (ts.tileSizePx + ts.spacingPx);
        ctx.drawImage(ts.image, sx, sy, ts.tileSizePx, ts.tileSizePx, tx * size, ty * size, size, size);
      }
    }
  }
  return canvas;
}

import { ImwLoad } from './imw-loads';
import { nowMs } from './message-load';

export interface SceneSetup {
  url: string;
  indices: number[];
  sceneId: string;
  /** Spawn points to spread players over (the map's names). */
  spawns: string[];
  /** Distance per move, px (5 moves/s × 30 px = 150 px/s, under the maps' 240 px/s). */
  stepPx: number;
  /** Chance per step of stopping for PAUSE_MS (players stopping form bubbles, #19); 0: never. */
  pause: number;
}

/** How long a pausing player stands still: long enough to settle into a bubble (400 ms). */
const PAUSE_MS = 2000;

/** scene.move carries no timestamp, so the send time rides in x's fraction (see stampX). */
const PERIOD_MS = 100_000;

/** x = whole pixels + (send time mod 100 s) / 100 s: sub-pixel, invisible to movement rules. */
function stampX(x: number, sentMs: number): number {
  return Math.floor(x) + (sentMs % PERIOD_MS) / PERIOD_MS;
}

function latencyFromX(x: number): number {
  const sent = (x - Math.floor(x)) * PERIOD_MS;
  return ((nowMs() % PERIOD_MS) - sent + PERIOD_MS) % PERIOD_MS;
}

export class SceneUnavailable extends Error {}

/** Scene walking: every player random-walks in one scene; deliveries are the view updates. */
export class ImwSceneLoad extends ImwLoad {
  private pos: Array<{ x: number; y: number; heading: number; sentX: number; pauseUntil: number }> = [];
  private pause = 0;
  private seq = 0;
  private stepPx = 30;

  async setup(args: unknown): Promise<unknown> {
    const a = args as SceneSetup;
    this.stepPx = a.stepPx;
    this.pause = a.pause;
    await this.loginAll(a.url, a.indices, { mode: 'scene' });
    try {
      await Promise.all(
        this.clients.map(async (c, k) => {
          const spawn = a.spawns[k % a.spawns.length];
          const r = await c.request('scene.join', { sceneId: a.sceneId, ...(spawn ? { spawn } : {}) });
          this.pos[k] = {
            x: r.self.x,
            y: r.self.y,
            heading: Math.random() * 2 * Math.PI,
            sentX: r.self.x,
            pauseUntil: 0,
          };
        }),
      );
    } catch (e) {
      throw new SceneUnavailable(`scene.join failed: ${(e as Error).message}`);
    }
    this.clients.forEach((c, k) => {
      const self = this.userIds[k];
      c.on('scene.view', (v) => {
        const n = v.moves.length + v.enters.length + v.leaves.length;
        this.counters.delivered += n;
        for (const m of v.moves) if (m.id !== self) this.hist.recordMs(latencyFromX(m.x));
      });
      c.on('scene.bubble', () => this.bump('bubbleEvents'));
    });
    return { clients: this.clients.length };
  }

  protected sendOne(i: number, epoch: number, sentMs: number): void {
    const p = this.pos[i]!;
    this.seq = (this.seq + 1) % 0xffff_ffff;
    if (sentMs < p.pauseUntil) {
      // Standing still: the same position again, which the server takes as no move at all.
      this.clients[i]!.request('scene.move', { x: p.sentX, y: p.y, seq: this.seq }).then(
        () => {
          if (epoch === this.epoch) this.counters.acked++;
        },
        (e: unknown) => {
          if (epoch === this.epoch) this.error((e as { code?: string }).code ?? 'ERROR');
        },
      );
      return;
    }
    if (this.pause > 0 && Math.random() < this.pause) p.pauseUntil = sentMs + PAUSE_MS;
    // Wander: a small random turn each step, a new heading when the server refuses a move.
    p.heading += (Math.random() - 0.5) * 0.6;
    const x = Math.max(1, p.x + Math.cos(p.heading) * this.stepPx);
    const y = Math.max(1, p.y + Math.sin(p.heading) * this.stepPx);
    p.x = x;
    p.y = y;
    p.sentX = stampX(x, sentMs);
    const req = this.clients[i]!.request('scene.move', { x: p.sentX, y, seq: this.seq });
    req.then(
      (r) => {
        if (epoch !== this.epoch) return;
        this.counters.acked++;
        this.bump(r.accepted ? 'movesAccepted' : 'movesRejected');
        if (!r.accepted) {
          p.x = r.x;
          p.sentX = r.x;
          p.y = r.y;
          p.heading = Math.random() * 2 * Math.PI;
        }
      },
      (e: unknown) => {
        if (epoch === this.epoch) this.error((e as { code?: string }).code ?? 'ERROR');
      },
    );
  }
}

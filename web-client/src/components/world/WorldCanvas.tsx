import { useEffect, useRef } from 'react';
import { type Camera, Renderer, screenToWorld } from '../../world/renderer';
import { isMoveKey, type SceneController } from '../../world/scene';

declare global {
  interface Window {
    /** For end-to-end tests: what the world view shows, without reading pixels. */
    __imw?: {
      players(): Array<{ userId: number; name: string; x: number; y: number }>;
      self(): { x: number; y: number };
      bubbles(): Array<{ userId: number; text: string }>;
      fps(): number;
      /** False while drawing is paused (the tab is hidden). */
      rendering(): boolean;
      /** The colour drawn at a map point in the last frame (drawing-order tests, R-MAP-4). */
      pixelAt(x: number, y: number): [number, number, number] | null;
      /** Where a map point is on the page (CSS pixels), to click there. */
      toPage(x: number, y: number): { x: number; y: number } | null;
    };
  }
}

/** Keys typed into a field, a menu or a dialog belong to it, not to the avatar. */
function ownsKeys(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable) return true;
  if (target.closest('input, textarea, select, [role="menu"], dialog')) return true;
  return false;
}

const round = (n: number) => Math.round(n * 10) / 10;

/**
 * The canvas: one requestAnimationFrame loop that advances the scene and draws it, paused while
 * the tab is hidden (no frames, no moves sent), plus keyboard, click and touch input.
 */
export function WorldCanvas({ scene, label }: { scene: SceneController; label: string }) {
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const camera = useRef<Camera | null>(null);

  useEffect(() => {
    const canvas = canvasRef.current;
    if (!canvas) return;
    const renderer = new Renderer(canvas);
    let frame = 0;
    let last = performance.now();
    let frames = 0;
    let fpsSince = last;

    const loop = (now: number) => {
      frame = requestAnimationFrame(loop);
      scene.tick(now, now - last);
      last = now;
      const rect = canvas.getBoundingClientRect();
      camera.current = renderer.draw(scene, now, rect.width, rect.height, window.devicePixelRatio || 1);
      frames++;
      if (now - fpsSince >= 1000) {
        scene.fps = Math.round((frames * 1000) / (now - fpsSince));
        frames = 0;
        fpsSince = now;
      }
    };
    const run = () => {
      if (frame || document.visibilityState === 'hidden') return;
      last = performance.now();
      fpsSince = last;
      frames = 0;
      frame = requestAnimationFrame(loop);
    };
    const pause = () => {
      cancelAnimationFrame(frame);
      frame = 0;
      scene.releaseKeys();
    };
    const onVisibility = () => (document.visibilityState === 'hidden' ? pause() : run());

    const onKeyDown = (e: KeyboardEvent) => {
      if (!isMoveKey(e.code) || e.altKey || e.ctrlKey || e.metaKey || ownsKeys(e.target)) return;
      e.preventDefault();
      scene.keyDown(e.code);
    };
    const onKeyUp = (e: KeyboardEvent) => scene.keyUp(e.code);

    document.addEventListener('visibilitychange', onVisibility);
    window.addEventListener('keydown', onKeyDown);
    window.addEventListener('keyup', onKeyUp);
    // Key-ups that happen in another window never arrive: stop walking when focus leaves.
    const onBlur = () => scene.releaseKeys();
    window.addEventListener('blur', onBlur);
    run();

    window.__imw = {
      players: () =>
        [...scene.others.values()].map((r) => ({ userId: r.id, name: r.name, x: round(r.x), y: round(r.y) })),
      self: () => ({ x: round(scene.self.x), y: round(scene.self.y) }),
      bubbles: () => [...scene.bubbles].map(([userId, b]) => ({ userId, text: b.text })),
      fps: () => scene.fps,
      rendering: () => frame !== 0,
      pixelAt: (x, y) => {
        const cam = camera.current;
        const ctx = canvas.getContext('2d');
        if (!cam || !ctx) return null;
        const s = cam.zoom * (window.devicePixelRatio || 1);
        const d = ctx.getImageData(Math.round((x - cam.x) * s), Math.round((y - cam.y) * s), 1, 1).data;
        return [d[0]!, d[1]!, d[2]!];
      },
      toPage: (x, y) => {
        const cam = camera.current;
        if (!cam) return null;
        const rect = canvas.getBoundingClientRect();
        return { x: rect.left + (x - cam.x) * cam.zoom, y: rect.top + (y - cam.y) * cam.zoom };
      },
    };

    return () => {
      pause();
      document.removeEventListener('visibilitychange', onVisibility);
      window.removeEventListener('keydown', onKeyDown);
      window.removeEventListener('keyup', onKeyUp);
      window.removeEventListener('blur', onBlur);
      delete window.__imw;
    };
  }, [scene]);

  return (
    <canvas
      ref={canvasRef}
      className="world-canvas"
      aria-label={label}
      tabIndex={0}
      onPointerDown={(e) => {
        const cam = camera.current;
        if (!cam || e.button !== 0) return;
        const rect = e.currentTarget.getBoundingClientRect();
        scene.walkTo(screenToWorld(cam, e.clientX - rect.left, e.clientY - rect.top));
      }}
    />
  );
}

import type { RequestName } from '@imw/shared';
import { type HandlerMap, type RequestCosts, requireSession } from '../core';
import type { SceneService } from './service';

type SceneRequest = Extract<RequestName, `scene.${string}`>;

/** R-LIM-16: scenes live in this node's memory. */
export const sceneCosts: RequestCosts<SceneRequest> = {
  'scene.join': 'memory',
  'scene.leave': 'memory',
  'scene.move': 'memory',
  'scene.action': 'memory',
  'scene.chat': 'memory',
  'scene.bubbleJoin': 'memory',
  'scene.bubbleLock': 'memory',
  'scene.bubblePrefs': 'memory',
  'scene.signal': 'memory',
};

export function sceneHandlers(scenes: SceneService): HandlerMap<SceneRequest> {
  return {
    'scene.join': (ctx, p) =>
      scenes.join(requireSession(ctx), p.sceneId, p.spawn, (fn) => ctx.connection.afterResponse(fn)),
    'scene.leave': (ctx) => {
      scenes.leave(requireSession(ctx));
      return {};
    },
    'scene.move': (ctx, p) => scenes.move(requireSession(ctx), p, (fn) => ctx.connection.afterResponse(fn)),
    'scene.action': async (ctx, p) => {
      await scenes.act(requireSession(ctx), p.action);
      return {};
    },
    'scene.chat': (ctx, p) => scenes.chat(requireSession(ctx), p.text),
    'scene.bubbleJoin': (ctx, p) => {
      scenes.bubbleJoin(requireSession(ctx), p.bubbleId);
      return {};
    },
    'scene.bubbleLock': (ctx, p) => {
      scenes.bubbleLock(requireSession(ctx), p.locked);
      return {};
    },
    'scene.bubblePrefs': (ctx, p) => {
      scenes.bubblePrefs(requireSession(ctx), p.dnd);
      return {};
    },
    'scene.signal': async (ctx, p) => {
      await scenes.signal(requireSession(ctx), p);
      return {};
    },
  };
}

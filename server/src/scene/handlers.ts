import type { RequestName } from '@imw/shared';
import type { SessionHost } from '../accounts';
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
};

export function sceneHandlers(scenes: SceneService): HandlerMap<SceneRequest> {
  return {
    'scene.join': (ctx, p) => scenes.join(requireSession(ctx), p.sceneId, p.spawn),
    'scene.leave': (ctx) => {
      scenes.leave(requireSession(ctx));
      return {};
    },
    'scene.move': (ctx, p) => scenes.move(requireSession(ctx), p, (fn) => ctx.connection.afterResponse(fn)),
    'scene.action': (ctx, p) => {
      scenes.act(requireSession(ctx), p.action);
      return {};
    },
    'scene.chat': (ctx, p) => scenes.chat(requireSession(ctx), p.text),
  };
}

/**
 * Wraps the session host used by login: a scene-mode login that names a scene must name one that
 * exists (NOT_FOUND, checked before the session opens), and puts the user in it right after the
 * login response, with `scene.changed`. A normal-mode login never carries a scene id.
 */
export function sceneSessionHost(inner: SessionHost, scenes: SceneService): SessionHost {
  return {
    end: (ctx, reason) => inner.end(ctx, reason),
    async open(ctx, user, mode, sceneId, resumeKey, status) {
      if (mode !== 'scene' || sceneId === null) return inner.open(ctx, user, mode, null, resumeKey, status);
      const enter = await scenes.prepareLoginEntry(user.id, sceneId);
      const opened = await inner.open(ctx, user, mode, sceneId, resumeKey, status);
      ctx.connection.afterResponse(() => enter(opened.sessionId));
      return opened;
    },
  };
}

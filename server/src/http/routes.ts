import type { Metrics } from '../core';
import { type HttpRoute, json } from '../core';
import { StaticFiles } from './static';

/** HTTP on the WebSocket's port: health, metrics, maps and the built web client. */
export function coreRoutes(opts: {
  nodeId: string;
  metrics: Metrics;
  metricsEnabled: boolean;
  /** What /healthz reports (the node's connections and sessions). */
  health: { health(): { ok: boolean; [k: string]: unknown } };
  mapsDir: string | null;
  webDir: string | null;
}): HttpRoute[] {
  const routes: HttpRoute[] = [
    {
      method: 'GET',
      path: '/healthz',
      handle: () => {
        const h = opts.health.health();
        return json(h.ok ? 200 : 503, { nodeId: opts.nodeId, ...h });
      },
    },
  ];
  if (opts.metricsEnabled) {
    routes.push({
      method: 'GET',
      path: '/metrics',
      handle: async () => ({
        status: 200,
        headers: { 'content-type': opts.metrics.registry.contentType },
        body: await opts.metrics.registry.metrics(),
      }),
    });
  }
  if (opts.mapsDir) {
    const maps = new StaticFiles(opts.mapsDir, false);
    routes.push({
      method: 'GET',
      path: '/maps/*',
      handle: (req) => maps.serve(req.path.slice('/maps'.length)),
    });
  }
  if (opts.webDir) {
    const web = new StaticFiles(opts.webDir, true);
    routes.push({
      method: 'GET',
      path: '/*',
      handle: (req) =>
        web.available ? web.serve(req.path) : { status: 404, body: 'web client not built (pnpm run build)' },
    });
  }
  return routes;
}

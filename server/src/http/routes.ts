import type { HttpRoute, Metrics } from '../core';
import { json } from '../core';
import { StaticFiles } from './static';

/**
 * HTTP on the WebSocket's port: health, metrics, maps and the built web client. R-SEC-20: the
 * public health check answers ok or not ok and nothing else; live counts (connections, sessions,
 * frames) are in /metrics, behind the metrics guard, because a count that moves tells anyone
 * whether a given user, invisible included, is online.
 */
export function coreRoutes(opts: {
  metrics: Metrics;
  metricsEnabled: boolean;
  /** The metrics guard (METRICS_TOKEN, else ADMIN_TOKEN; 404 without either). */
  guarded: (fn: HttpRoute['handle']) => HttpRoute['handle'];
  /** Whether this node serves; the public answer carries nothing else (R-SEC-20). */
  health: { health(): { ok: boolean } };
  mapsDir: string | null;
  webDir: string | null;
}): HttpRoute[] {
  const routes: HttpRoute[] = [
    {
      method: 'GET',
      path: '/healthz',
      handle: () => {
        const { ok } = opts.health.health();
        return json(ok ? 200 : 503, { ok });
      },
    },
  ];
  if (opts.metricsEnabled) {
    routes.push({
      method: 'GET',
      path: '/metrics',
      handle: opts.guarded(async () => ({
        status: 200,
        headers: { 'content-type': opts.metrics.registry.contentType },
        body: await opts.metrics.registry.metrics(),
      })),
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

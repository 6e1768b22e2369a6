import { tokenMatches } from '../messaging';
import { type HttpRoute, json } from '../net';
import { type ClusterNode, wsUrlOf } from './node';

/**
 * Discovery (R-CLU-36): any node answers where a new client should connect, so a client or a
 * reverse proxy can start anywhere. Drain is an admin action (Bearer ADMIN_TOKEN).
 */
export function clusterRoutes(
  node: ClusterNode,
  drain: () => Promise<{ moved: number; remaining: number }>,
  adminToken: string | undefined,
): HttpRoute[] {
  return [
    {
      method: 'GET',
      path: '/cluster/discover',
      handle: async () => {
        const n = await node.discover();
        return json(200, { nodeId: n.nodeId, url: n.url, wsUrl: wsUrlOf(n.url) });
      },
    },
    {
      method: 'GET',
      path: '/cluster/nodes',
      handle: async () => json(200, { self: node.nodeId, nodes: await node.nodes() }),
    },
    {
      method: 'POST',
      path: '/admin/drain',
      handle: async (req) => {
        if (!adminToken) return json(404, { error: 'the admin API is disabled (set ADMIN_TOKEN)' });
        if (!tokenMatches(req.headers.authorization, adminToken))
          return json(401, { error: 'bad or missing token' });
        return json(200, await drain());
      },
    },
  ];
}

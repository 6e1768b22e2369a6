import { type HttpRoute, json } from '../core';

/** What discovery needs of the cluster module (ClusterNode). */
export interface NodeDirectory {
  readonly nodeId: string;
  /** The node a new client should connect to, with its WebSocket URL. */
  discoverEndpoint(): Promise<{ nodeId: string; url: string; wsUrl: string }>;
  nodes(): Promise<unknown[]>;
}

/**
 * Discovery (R-CLU-36): any node answers where a new client should connect, so a client or a
 * reverse proxy can start anywhere. It stays public: clients need it, and it carries no counts.
 */
export function clusterRoutes(
  node: NodeDirectory,
  guarded: (fn: HttpRoute['handle']) => HttpRoute['handle'],
): HttpRoute[] {
  return [
    {
      method: 'GET',
      path: '/cluster/discover',
      handle: async () => json(200, await node.discoverEndpoint()),
    },
    {
      method: 'GET',
      path: '/cluster/nodes',
      // R-SEC-20: the node list carries live session counts and load, so it is an operator's
      // view (the metrics token), not a client's; discovery above names one node and no counts.
      handle: guarded(async () => json(200, { self: node.nodeId, nodes: await node.nodes() })),
    },
  ];
}

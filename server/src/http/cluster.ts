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
 * reverse proxy can start anywhere.
 */
export function clusterRoutes(node: NodeDirectory): HttpRoute[] {
  return [
    {
      method: 'GET',
      path: '/cluster/discover',
      handle: async () => json(200, await node.discoverEndpoint()),
    },
    {
      method: 'GET',
      path: '/cluster/nodes',
      handle: async () => json(200, { self: node.nodeId, nodes: await node.nodes() }),
    },
  ];
}

import { z } from 'zod';
import { type HttpRoute, json } from '../core';
import { parseBody, parseQuery } from './body';

/** What the operator console's API needs; the composition root implements it (operator.ts). */
export interface OperatorConsole {
  /** Every live node with its sessions, load and whether it drains (R-ADM-1). */
  nodes(): Promise<{ self: string; nodes: unknown[] }>;
  /** How many users are online in the cluster, invisible ones included (R-ADM-2). */
  onlineCount(): Promise<number>;
  /** Accounts by name with the status others see: invisible is offline (R-ADM-3). */
  searchUsers(query: string, limit: number): Promise<unknown[]>;
  /** Ends every session of the user with 4019 KICKED; false when there is no such user (R-ADM-5). */
  kick(userId: number): Promise<boolean>;
  /** Drains the node, this one or another over the cluster bus; false when no such node is live (R-ADM-6). */
  drain(nodeId: string): Promise<boolean>;
  /** This node's counters for the charts (R-ADM-7). */
  stats(): Promise<unknown>;
}

const userId = z
  .number()
  .int()
  .positive()
  .max(2 ** 31 - 1);
const searchQuery = z
  .object({ q: z.string().trim().min(1).max(64), limit: z.coerce.number().int().min(1).max(100).default(20) })
  .strict();
const kickBody = z.object({ userId }).strict();
const drainBody = z.object({ nodeId: z.string().min(1).max(64) }).strict();

/** R-ADM-*: the operator console's API, every route behind the admin guard. */
export function consoleRoutes(
  ops: OperatorConsole,
  guarded: (fn: HttpRoute['handle']) => HttpRoute['handle'],
): HttpRoute[] {
  return [
    { method: 'GET', path: '/admin/nodes', handle: guarded(async () => json(200, await ops.nodes())) },
    {
      method: 'GET',
      path: '/admin/online',
      handle: guarded(async () => json(200, { users: await ops.onlineCount() })),
    },
    {
      method: 'GET',
      path: '/admin/users',
      handle: guarded(async (req) => {
        const q = parseQuery(req, searchQuery);
        if (!q.ok) return q.res;
        return json(200, { users: await ops.searchUsers(q.value.q, q.value.limit) });
      }),
    },
    {
      method: 'POST',
      path: '/admin/users/kick',
      handle: guarded(async (req) => {
        const b = parseBody(req, kickBody);
        if (!b.ok) return b.res;
        return (await ops.kick(b.value.userId)) ? json(200, {}) : json(404, { error: 'no such user' });
      }),
    },
    {
      method: 'POST',
      path: '/admin/nodes/drain',
      handle: guarded(async (req) => {
        const b = parseBody(req, drainBody);
        if (!b.ok) return b.res;
        return (await ops.drain(b.value.nodeId))
          ? json(202, { draining: b.value.nodeId })
          : json(404, { error: 'no such live node' });
      }),
    },
    { method: 'GET', path: '/admin/stats', handle: guarded(async () => json(200, await ops.stats())) },
  ];
}

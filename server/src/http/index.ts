/**
 * HTTP on the WebSocket's port: the route contract the transport (net/uws.ts) serves, static
 * files, health and metrics, discovery, and the admin API behind one bearer guard. Only the
 * composition root builds routes; modules answer through the ports named here.
 */
export { type AdminActions, adminGuard, adminRoutes } from './admin';
export { clusterRoutes, type NodeDirectory } from './cluster';
export { consoleRoutes, type OperatorConsole } from './console';
export { AuthFailures, bearerGuard, HTTP_AUTH_FAILURES_PER_MIN, tokenMatches } from './guard';
export { type ModerationActions, moderationRoutes } from './moderation';
export { coreRoutes } from './routes';
export { StaticFiles } from './static';

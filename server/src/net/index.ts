export { NodeGcm } from './cipher';
export type { Connection, SocketPort } from './connection';
export { Gateway, type GatewayHooks } from './gateway';
export { UwsServer, uwsImplementation } from './uws';

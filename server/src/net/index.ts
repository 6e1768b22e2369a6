export { NodeGcm } from './cipher';
export type { Connection, SocketPort } from './connection';
export { Gateway, type GatewayHooks } from './gateway';
export { assertNativeUws, UwsServer, uwsImplementation, uwsIsNative } from './uws';

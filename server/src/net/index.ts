export { NodeGcm } from './cipher';
export type { Connection, SocketPort } from './connection';
export { type Dispatch, Gateway, type GatewayHooks } from './gateway';
export { type HttpRequest, type HttpResponse, type HttpRoute, json } from './http-types';
export { createMetrics, type Metrics } from './metrics';
export { StaticFiles } from './static';
export { assertNativeUws, UwsServer, uwsImplementation, uwsIsNative } from './uws';

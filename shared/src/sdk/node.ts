import WebSocket from 'ws';
import type { SocketFactory, SocketLike } from './transport';

/** Node 20 has no global WebSocket at run time: the SDK uses the `ws` package there. */
export const nodeSocketFactory: SocketFactory = (url) => new WebSocket(url) as unknown as SocketLike;

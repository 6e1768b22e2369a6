import WebSocket from 'ws';
import { NodeGcm } from '../crypto/node-gcm';
import type { CipherFactory } from './channel';
import type { SocketFactory, SocketLike } from './transport';

export { NodeGcm } from '../crypto/node-gcm';

/** Node 20 has no global WebSocket at run time: the SDK uses the `ws` package there. */
export const nodeSocketFactory: SocketFactory = (url) => new WebSocket(url) as unknown as SocketLike;

/** Synchronous AES-GCM for SDK clients in Node (bench, tools): no WebCrypto promise per frame. */
export const nodeCipherFactory: CipherFactory = async (key) => new NodeGcm(key);

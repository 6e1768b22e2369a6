export { createSessionHost } from './host';
export { type LocalSession, SessionTable, type SocketSink } from './sessions';

export { presenceCosts, presenceHandlers } from './handlers';
export { createSessionHost } from './host';
export { ResumeService } from './resume';
export { Revocations } from './revocations';
export { type EndReason, type FriendDirectory, PresenceService, type Route } from './service';
export type { LocalSession, SocketSink } from './sessions';
export * from './store';
export { TicketSealer } from './tickets';
export { visibleStatus } from './visibility';

export { Delivery, type LocalDelivery, type RelationCaches } from './delivery';
export { presenceCosts, presenceHandlers } from './handlers';
export { type AfterOpen, type OnceTickets, type Opening, type SessionHook, SessionOpener } from './opener';
export { Revocations } from './revocations';
export {
  type AvatarListener,
  type EndReason,
  type FriendDirectory,
  PresenceService,
  type SessionEndListener,
} from './service';
export type { LocalSession, SocketSink } from './sessions';
export * from './store';
export { loadTicketKeys, parseTicketKeys, type TicketKey } from './ticket-keys';
export { TicketSealer } from './tickets';
export { visibleStatus } from './visibility';

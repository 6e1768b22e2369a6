export { accountCosts, accountHandlers } from './handlers';
export type { UserRow } from './repo';
export { AccountService, toOwnProfile, toPublicProfile } from './service';
export { sessionCosts, sessionHandlers } from './session/handlers';
export { SessionHandshakes } from './session/handshakes';
export type { LoginGate, OpenedSession, ResumedSession, SessionKeeper, SessionTicket } from './session/port';
export { SocialService } from './social';
export { type SocialDeps, socialCosts, socialHandlers } from './social-handlers';
export { type SocialDelivery, SocialNotices } from './social-notices';

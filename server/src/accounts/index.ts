export { accountCosts, accountHandlers, type SessionHost } from './handlers';
export { deriveSessionKeys, generateX25519, type SessionKeys, x25519Shared } from './keys';
export type { UserRow } from './repo';
export { AccountService, toOwnProfile, toPublicProfile } from './service';
export { SocialService } from './social';
export { type SocialDeps, socialCosts, socialHandlers } from './social-handlers';
export { type SocialDelivery, SocialNotices } from './social-notices';

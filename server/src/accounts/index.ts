export { accountCosts, accountHandlers, type SessionHost } from './handlers';
export type { UserRow } from './repo';
export { AccountService, toOwnProfile, toPublicProfile } from './service';
export { SocialService } from './social';
export { type SocialDeps, socialCosts, socialHandlers } from './social-handlers';
export { type SocialDelivery, SocialNotices } from './social-notices';

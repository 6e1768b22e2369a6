export { accountCosts, accountHandlers, type SessionHost } from './handlers';
export type { UserRow } from './repo';
export { AccountService, toOwnProfile, toPublicProfile } from './service';
export { type SocialDeps, socialCosts, socialHandlers } from './social-handlers';

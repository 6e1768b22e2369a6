export { SocialService } from './service';
export type {
  FriendList,
  FriendRequestResult,
  LeaveResult,
  MemberEntry,
  NewFriend,
  SocialCacheOptions,
  SocialLimits,
  UserDeletionResult,
} from './types';

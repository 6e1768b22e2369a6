export { SocialService } from './service';
export type {
  BlockResult,
  FriendList,
  FriendRequestResult,
  LeaveResult,
  MemberEntry,
  NewFriend,
  SocialCacheOptions,
  SocialLimits,
  UserDeletionResult,
} from './types';

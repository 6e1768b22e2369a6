import type { ReactNode } from 'react';
import { useConversationHash } from '../../lib/route';
import { useSignedIn } from '../../session';
import { useSocialStore } from '../../state/AppState';
import { parseConversationKey } from '../../state/chat';
import { useStore } from '../../state/store';
import { FriendConversation } from './FriendConversation';
import { GroupConversation } from './GroupConversation';

/**
 * The conversation the address names, or null when it names none (or one this user cannot
 * open: not a friend, not a member).
 */
export function useOpenConversation(onClose?: () => void): ReactNode | null {
  const { profile } = useSignedIn();
  const social = useSocialStore();
  const hash = useConversationHash();
  const parsed = hash ? parseConversationKey(hash) : null;
  const friend = useStore(social, (s) =>
    parsed?.kind === 'friend' ? s.friends.find((f) => f.userId === parsed.id) : undefined,
  );
  const group = useStore(social, (s) =>
    parsed?.kind === 'group' ? s.groups.find((g) => g.groupId === parsed.id) : undefined,
  );
  if (friend) return <FriendConversation key={`f${friend.userId}`} friend={friend} onClose={onClose} />;
  if (group) {
    return (
      <GroupConversation key={`g${group.groupId}`} group={group} myId={profile.userId} onClose={onClose} />
    );
  }
  return null;
}

import { normalizeUsername } from '../../lib/validate';
import { useSocialStore } from '../../state/AppState';
import { InlineForm } from '../InlineForm';

export function AddFriendForm() {
  const social = useSocialStore();
  return (
    <InlineForm
      label="Friend's username"
      buttonLabel="Add friend"
      emptyMessage="Enter a username."
      maxLength={32}
      errors={{
        NOT_FOUND: 'No user has that username.',
        CONFLICT: 'You are already friends, or a request is already waiting.',
        BAD_REQUEST: 'Check the username:',
        LIMIT_EXCEEDED: 'You have reached the friends limit.',
      }}
      onSubmit={async (raw) => {
        const username = normalizeUsername(raw);
        const became = await social.requestFriend(username);
        return became ? `You and ${username} are now friends.` : `Friend request sent to ${username}.`;
      }}
    />
  );
}

import { msg } from '../../i18n';
import { useT } from '../../i18n/useT';
import { problem } from '../../lib/errors';
import { normalizeUsername } from '../../lib/validate';
import { useSignedIn } from '../../session';
import { useSocialStore } from '../../state/AppState';
import { InlineForm } from '../InlineForm';

export function AddFriendForm() {
  const { t } = useT();
  const social = useSocialStore();
  const { profile } = useSignedIn();
  return (
    <InlineForm
      label={t('friends:add.label')}
      buttonLabel={t('friends:add.button')}
      emptyMessage="auth:check.usernameEmpty"
      maxLength={33}
      errors={{
        NOT_FOUND: 'friends:add.notFound',
        CONFLICT: 'friends:add.conflict',
        BAD_REQUEST: 'friends:add.invalid',
        LIMIT_EXCEEDED: 'friends:add.limit',
      }}
      // The server refuses this too (BAD_REQUEST); saying why is kinder than "not valid".
      check={(raw) => (normalizeUsername(raw) === profile.username ? problem('friends:add.yourself') : null)}
      onSubmit={async (raw) => {
        const username = normalizeUsername(raw);
        const became = await social.requestFriend(username);
        return became
          ? msg('friends:add.becameFriends', { name: username })
          : msg('friends:add.sent', { name: username });
      }}
    />
  );
}

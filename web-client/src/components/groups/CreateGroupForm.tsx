import { msg } from '../../i18n';
import { useT } from '../../i18n/useT';
import { openConversation } from '../../lib/route';
import { useSocialStore } from '../../state/AppState';
import { groupKey } from '../../state/chat';
import { InlineForm } from '../InlineForm';

export function CreateGroupForm() {
  const { t } = useT();
  const social = useSocialStore();
  return (
    <InlineForm
      label={t('groups:create.label')}
      buttonLabel={t('groups:create.button')}
      emptyMessage="groups:create.empty"
      maxLength={64}
      errors={{ LIMIT_EXCEEDED: 'groups:create.limit' }}
      onSubmit={async (name) => {
        const group = await social.createGroup(name);
        openConversation(groupKey(group.groupId));
        return msg('groups:create.done', { name: group.name });
      }}
    />
  );
}

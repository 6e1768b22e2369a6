import { openConversation } from '../../lib/route';
import { useSocialStore } from '../../state/AppState';
import { groupKey } from '../../state/chat';
import { InlineForm } from '../InlineForm';

export function CreateGroupForm() {
  const social = useSocialStore();
  return (
    <InlineForm
      label="Group name"
      buttonLabel="Create group"
      emptyMessage="Enter a name for the group."
      maxLength={64}
      errors={{ LIMIT_EXCEEDED: 'You have reached the groups limit.' }}
      onSubmit={async (name) => {
        const group = await social.createGroup(name);
        openConversation(groupKey(group.groupId));
        return `Created ${group.name}.`;
      }}
    />
  );
}

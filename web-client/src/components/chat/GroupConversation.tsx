import type { GroupInfo } from '@imw/shared';
import { useState } from 'react';
import { describeError } from '../../lib/errors';
import { useSocialStore } from '../../state/AppState';
import { type ChatMessage, groupKey } from '../../state/chat';
import { ConfirmDialog } from '../ConfirmDialog';
import { ErrorAlert } from '../ErrorAlert';
import { membersLabel } from '../groups/GroupList';
import { Icon } from '../Icon';
import { ReportDialog, type ReportTarget } from '../ReportDialog';
import { Composer } from './Composer';
import { ConversationLayout } from './ConversationLayout';
import { GroupMembers } from './GroupMembers';
import { MessageList, reportedMessage } from './MessageList';
import { useConversation } from './useConversation';

export function GroupConversation({
  group,
  myId,
  onClose,
}: {
  group: GroupInfo;
  myId: number;
  onClose?: () => void;
}) {
  const social = useSocialStore();
  const { messages, older, loadOlder, retry, send } = useConversation(groupKey(group.groupId));
  const [confirming, setConfirming] = useState(false);
  const [reporting, setReporting] = useState<ReportTarget | null>(null);
  const [error, setError] = useState<ReturnType<typeof describeError> | null>(null);

  async function leave() {
    setConfirming(false);
    setError(null);
    try {
      await social.leaveGroup(group.groupId);
      window.location.hash = '#/';
    } catch (e) {
      setError(describeError(e));
    }
  }

  const nameOf = (m: ChatMessage) => (m.from === null ? 'Deleted user' : m.fromName || 'Someone');

  return (
    <ConversationLayout
      title={group.name}
      subtitle={`Group · ${membersLabel(group.memberCount)}${group.ownerId === myId ? ' · you own it' : ''}`}
      badge={
        <span className="group-mark group-mark--lg" aria-hidden="true">
          <Icon name="users" />
        </span>
      }
      onClose={onClose}
      actions={
        <button
          type="button"
          className="button button--secondary button--small"
          onClick={() => setConfirming(true)}
        >
          Leave group
        </button>
      }
      panels={
        <>
          <ErrorAlert problem={error} />
          <GroupMembers groupId={group.groupId} myId={myId} />
        </>
      }
    >
      <MessageList
        messages={messages}
        label={`Conversation in ${group.name}`}
        nameOf={nameOf}
        emptyText="No messages yet. Say hello to the group!"
        older={older}
        onLoadOlder={loadOlder}
        onRetry={retry}
        onReport={(m) => setReporting(reportedMessage(m, nameOf(m)))}
      />
      <Composer placeholder={`Message ${group.name}`} onSend={send} />
      <ConfirmDialog
        open={confirming}
        title={`Leave ${group.name}?`}
        confirmLabel="Leave"
        danger
        onConfirm={leave}
        onCancel={() => setConfirming(false)}
      >
        You will stop receiving its messages. You can join again later.
      </ConfirmDialog>
      <ReportDialog target={reporting} onClose={() => setReporting(null)} />
    </ConversationLayout>
  );
}

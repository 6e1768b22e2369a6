import type { GroupInfo } from '@imw/shared';
import { useEffect, useState } from 'react';
import { describeError } from '../../lib/errors';
import { useChatStore, useSocialStore } from '../../state/AppState';
import { type ChatMessage, groupKey } from '../../state/chat';
import { useStore } from '../../state/store';
import { ConfirmDialog } from '../ConfirmDialog';
import { ErrorAlert } from '../ErrorAlert';
import { membersLabel } from '../groups/GroupList';
import { Icon } from '../Icon';
import { Composer } from './Composer';
import { ConversationLayout } from './ConversationLayout';
import { GroupMembers } from './GroupMembers';
import { MessageList } from './MessageList';

export function GroupConversation({
  group,
  myId,
  onClose,
}: {
  group: GroupInfo;
  myId: number;
  onClose?: () => void;
}) {
  const chat = useChatStore();
  const social = useSocialStore();
  const key = groupKey(group.groupId);
  const messages = useStore(chat, (s) => s.conversations.get(key)?.messages) ?? [];
  const [confirming, setConfirming] = useState(false);
  const [error, setError] = useState<ReturnType<typeof describeError> | null>(null);

  useEffect(() => {
    chat.setActive(key);
    return () => chat.setActive(null);
  }, [chat, key]);

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

  const nameOf = (m: ChatMessage) => m.fromName || 'Someone';

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
        emptyText="No messages yet. Members who are online will see what you write."
      />
      <Composer placeholder={`Message ${group.name}`} onSend={(text) => void chat.send(key, text)} />
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
    </ConversationLayout>
  );
}

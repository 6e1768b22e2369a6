import type { GroupInfo } from '@imw/shared';
import { useState } from 'react';
import { useT } from '../../i18n/useT';
import { describeError } from '../../lib/errors';
import { useSocialStore } from '../../state/AppState';
import { type ChatMessage, groupKey } from '../../state/chat';
import { useStore } from '../../state/store';
import { ConfirmDialog } from '../ConfirmDialog';
import { ErrorAlert } from '../ErrorAlert';
import { Icon } from '../Icon';
import { ReportDialog, type ReportTarget } from '../ReportDialog';
import { Composer } from './Composer';
import { ConversationLayout } from './ConversationLayout';
import { GroupMembers } from './GroupMembers';
import { MessageList, reportedMessage } from './MessageList';
import { readersOf, useConversation } from './useConversation';

export function GroupConversation({
  group,
  myId,
  onClose,
}: {
  group: GroupInfo;
  myId: number;
  onClose?: () => void;
}) {
  const { t } = useT();
  const social = useSocialStore();
  const { messages, older, loadOlder, retry, send, seen, typers, typed } = useConversation(
    groupKey(group.groupId),
  );
  const members = useStore(social, (s) => s.members.get(group.groupId));
  const memberName = (id: number) => members?.find((x) => x.userId === id)?.displayName ?? t('chat:someone');
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

  const nameOf = (m: ChatMessage) =>
    m.from === null ? t('chat:deletedUser') : m.fromName || t('chat:someone');

  return (
    <ConversationLayout
      title={group.name}
      subtitle={t(group.ownerId === myId ? 'groups:subtitleOwner' : 'groups:subtitle', {
        count: group.memberCount,
      })}
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
          {t('groups:leave.button')}
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
        label={t('chat:group.log', { name: group.name })}
        nameOf={nameOf}
        emptyText={t('chat:group.empty')}
        older={older}
        onLoadOlder={loadOlder}
        onRetry={retry}
        onReport={(m) => setReporting(reportedMessage(m, nameOf(m)))}
        readersOf={(m) => readersOf(m, seen).map(memberName)}
        typing={typers.map(memberName)}
      />
      <Composer placeholder={t('chat:placeholder', { name: group.name })} onSend={send} onTyping={typed} />
      <ConfirmDialog
        open={confirming}
        title={t('groups:leave.title', { name: group.name })}
        confirmLabel={t('groups:leave.confirm')}
        danger
        onConfirm={leave}
        onCancel={() => setConfirming(false)}
      >
        {t('groups:leave.body')}
      </ConfirmDialog>
      <ReportDialog target={reporting} onClose={() => setReporting(null)} />
    </ConversationLayout>
  );
}

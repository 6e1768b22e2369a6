import type { FriendEntry } from '@imw/shared';
import { useState } from 'react';
import { useDirect } from '../../state/AppState';
import { type ChatMessage, friendKey } from '../../state/chat';
import { useStore } from '../../state/store';
import { Avatar } from '../Avatar';
import { DirectPanel } from '../direct/DirectPanel';
import { Icon } from '../Icon';
import { PresenceDot, STATUS_LABEL } from '../Presence';
import { ReportDialog, type ReportTarget } from '../ReportDialog';
import { Composer } from './Composer';
import { ConversationLayout } from './ConversationLayout';
import { MessageList, reportedMessage } from './MessageList';
import { useConversation } from './useConversation';

export function FriendConversation({ friend, onClose }: { friend: FriendEntry; onClose?: () => void }) {
  const direct = useDirect();
  const { messages, older, loadOlder, retry, send } = useConversation(friendKey(friend.userId));
  const session = useStore(direct, (s) => s.session);
  const mine = session?.peerId === friend.userId ? session : null;
  const p2p = mine?.phase === 'open';
  const [reporting, setReporting] = useState<ReportTarget | null>(null);

  const nameOf = (m: ChatMessage) => (m.own ? 'You' : friend.displayName);

  return (
    <ConversationLayout
      title={friend.displayName}
      subtitle={
        <>
          <PresenceDot status={friend.status} /> {STATUS_LABEL[friend.status]} · @{friend.username}
        </>
      }
      badge={<Avatar avatar={friend.avatar} name={friend.displayName} />}
      onClose={onClose}
      actions={
        <>
          <button
            type="button"
            className="button button--secondary button--small"
            onClick={() => setReporting({ userId: friend.userId, name: friend.displayName })}
          >
            Report
          </button>
          <button
            type="button"
            className="button button--secondary button--small"
            // Pressing Direct while this friend's own request waits simply accepts it.
            disabled={session !== null && mine?.phase !== 'incoming'}
            title={
              session && !mine
                ? 'You already have a direct connection with someone else'
                : 'Connect peer-to-peer: chat and calls that do not go through the server'
            }
            onClick={() =>
              void (mine?.phase === 'incoming' ? direct.accept() : direct.connect(friend.userId))
            }
          >
            <Icon name="direct" size={16} />
            Direct
          </button>
        </>
      }
      panels={<DirectPanel friend={friend} />}
    >
      <MessageList
        messages={messages}
        label={`Conversation with ${friend.displayName}`}
        nameOf={nameOf}
        emptyText={`No messages yet. Say hello to ${friend.displayName}!`}
        older={older}
        onLoadOlder={loadOlder}
        onRetry={retry}
        onReport={(m) => setReporting(reportedMessage(m, friend.displayName))}
      />
      <Composer
        placeholder={p2p ? `Message ${friend.displayName} directly` : `Message ${friend.displayName}`}
        hint={p2p ? 'Sending peer-to-peer: these messages do not pass through the server.' : null}
        onSend={(text) => {
          if (p2p && direct.sendText(text)) return;
          send(text);
        }}
      />
      <ReportDialog target={reporting} onClose={() => setReporting(null)} />
    </ConversationLayout>
  );
}

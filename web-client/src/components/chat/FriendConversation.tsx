import type { FriendEntry } from '@imw/shared';
import { useState } from 'react';
import { useT } from '../../i18n/useT';
import { useSignedIn } from '../../session';
import { useDirect } from '../../state/AppState';
import { type ChatMessage, friendKey } from '../../state/chat';
import { useStore } from '../../state/store';
import { Avatar } from '../Avatar';
import { DirectPanel } from '../direct/DirectPanel';
import { BlockDialog } from '../friends/BlockDialog';
import { Icon } from '../Icon';
import { PresenceDot, StatusText } from '../Presence';
import { ReportDialog, type ReportTarget } from '../ReportDialog';
import { Composer } from './Composer';
import { ConversationLayout } from './ConversationLayout';
import { MessageList, reportedMessage } from './MessageList';
import { RichConversationProvider } from './rich';
import { tickOf, useConversation } from './useConversation';

export function FriendConversation({ friend, onClose }: { friend: FriendEntry; onClose?: () => void }) {
  const { t } = useT();
  const me = useSignedIn().profile.userId;
  const direct = useDirect();
  const { messages, older, loadOlder, retry, send, seen, typers, typed } = useConversation(
    friendKey(friend.userId),
  );
  const session = useStore(direct, (s) => s.session);
  const mine = session?.peerId === friend.userId ? session : null;
  const p2p = mine?.phase === 'open';
  const [blocking, setBlocking] = useState(false);
  const [reporting, setReporting] = useState<ReportTarget | null>(null);

  const nameOf = (m: ChatMessage) => (m.own ? t('chat:you') : friend.displayName);

  const nameOfUser = (u: number | null) =>
    u === me ? t('chat:you') : u === friend.userId ? friend.displayName : t('chat:someone');

  return (
    <ConversationLayout
      title={friend.displayName}
      subtitle={
        <>
          <PresenceDot status={friend.status} /> <StatusText status={friend.status} /> · @{friend.username}
        </>
      }
      badge={<Avatar avatar={friend.avatar} name={friend.displayName} />}
      onClose={onClose}
      actions={
        <>
          <button
            type="button"
            className="button button--secondary button--small"
            aria-label={t('friends:block.named', { name: friend.displayName })}
            onClick={() => setBlocking(true)}
          >
            {t('friends:block.button')}
          </button>
          <button
            type="button"
            className="button button--secondary button--small"
            onClick={() => setReporting({ userId: friend.userId, name: friend.displayName })}
          >
            {t('chat:report.action')}
          </button>
          <button
            type="button"
            className="button button--secondary button--small"
            // Pressing Direct while this friend's own request waits simply accepts it.
            disabled={session !== null && mine?.phase !== 'incoming'}
            title={session && !mine ? t('calls:direct.busyElsewhere') : t('calls:direct.buttonTitle')}
            onClick={() =>
              void (mine?.phase === 'incoming' ? direct.accept() : direct.connect(friend.userId))
            }
          >
            <Icon name="direct" size={16} />
            {t('calls:direct.button')}
          </button>
          <button
            type="button"
            className="button button--secondary button--small"
            // #19: a call rings the friend wherever they are; no media leaves before they accept.
            disabled={session !== null}
            title={t('calls:call.callTitle')}
            onClick={() => direct.call(friend.userId, true)}
          >
            <Icon name="video" size={16} />
            {t('calls:call.call')}
          </button>
        </>
      }
      panels={<DirectPanel friend={friend} />}
    >
      <BlockDialog
        target={blocking ? friend : null}
        onDone={(blocked) => {
          setBlocking(false);
          if (blocked) {
            // R-BLK-1: no longer friends; a direct connection with them ends too.
            if (mine) direct.hangUp();
            window.location.hash = '#/';
          }
        }}
      />
      <RichConversationProvider conversationKey={friendKey(friend.userId)} me={me} nameOfUser={nameOfUser}>
        <MessageList
          messages={messages}
          label={t('chat:friend.log', { name: friend.displayName })}
          nameOf={nameOf}
          emptyText={t('chat:friend.empty', { name: friend.displayName })}
          older={older}
          onLoadOlder={loadOlder}
          onRetry={retry}
          onReport={(m) => setReporting(reportedMessage(m, friend.displayName))}
          tickOf={(m) => tickOf(m, seen)}
          typing={typers.length ? [friend.displayName] : []}
        />
        <Composer
          placeholder={
            p2p
              ? t('chat:friend.placeholderDirect', { name: friend.displayName })
              : t('chat:placeholder', { name: friend.displayName })
          }
          hint={p2p ? t('chat:friend.directHint') : null}
          onTyping={p2p ? undefined : typed}
          onSend={(text) => {
            if (p2p && direct.sendText(text)) return;
            send(text);
          }}
        />
      </RichConversationProvider>
      <ReportDialog target={reporting} onClose={() => setReporting(null)} />
    </ConversationLayout>
  );
}

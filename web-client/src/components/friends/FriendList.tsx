import type { FriendEntry } from '@imw/shared';
import { useState } from 'react';
import { useT } from '../../i18n/useT';
import { conversationHash } from '../../lib/route';
import { useChatStore, useSocialStore } from '../../state/AppState';
import { friendKey } from '../../state/chat';
import { useStore } from '../../state/store';
import { Avatar } from '../Avatar';
import { ConfirmDialog } from '../ConfirmDialog';
import { Icon } from '../Icon';
import { PresenceDot, StatusText, UnreadBadge } from '../Presence';
import { BlockDialog } from './BlockDialog';

function FriendRow({
  friend,
  active,
  onRemove,
  onBlock,
}: {
  friend: FriendEntry;
  active: boolean;
  onRemove: (f: FriendEntry) => void;
  onBlock: (f: FriendEntry) => void;
}) {
  const { t } = useT();
  const chat = useChatStore();
  const key = friendKey(friend.userId);
  const unread = useStore(chat, (s) => s.conversations.get(key)?.unread ?? 0);
  return (
    <li className="contact">
      <a
        className="contact-link"
        href={conversationHash(key)}
        aria-current={active ? 'page' : undefined}
        title={`@${friend.username}`}
      >
        <span className="contact-avatar">
          <Avatar avatar={friend.avatar} name={friend.displayName} size="sm" />
          <PresenceDot status={friend.status} />
        </span>
        <span className="contact-text">
          <span className="contact-name">{friend.displayName}</span>
          <span className="contact-status">
            <StatusText status={friend.status} />
          </span>
        </span>
        <UnreadBadge count={unread} />
      </a>
      <button
        type="button"
        className="text-button contact-block"
        aria-label={t('friends:block.named', { name: friend.displayName })}
        onClick={() => onBlock(friend)}
      >
        {t('friends:block.button')}
      </button>
      <button
        type="button"
        className="icon-button contact-remove"
        aria-label={t('friends:remove.named', { name: friend.displayName })}
        title={t('friends:remove.button')}
        onClick={() => onRemove(friend)}
      >
        <Icon name="close" size={16} />
      </button>
    </li>
  );
}

export function FriendList({ activeKey }: { activeKey: string | null }) {
  const { t } = useT();
  const social = useSocialStore();
  const friends = useStore(social, (s) => s.friends);
  const loaded = useStore(social, (s) => s.loaded);
  const [removing, setRemoving] = useState<FriendEntry | null>(null);
  const [blocking, setBlocking] = useState<FriendEntry | null>(null);

  async function confirmRemove() {
    const f = removing;
    setRemoving(null);
    if (!f) return;
    try {
      await social.remove(f.userId);
      if (activeKey === friendKey(f.userId)) window.location.hash = '#/';
    } catch (e) {
      console.warn('could not remove friend', e);
    }
  }

  return (
    <>
      {friends.length === 0 ? (
        <p className="empty">{loaded ? t('friends:empty') : t('common:loading')}</p>
      ) : (
        <ul className="plain-list contact-list">
          {friends.map((f) => (
            <FriendRow
              key={f.userId}
              friend={f}
              active={activeKey === friendKey(f.userId)}
              onRemove={setRemoving}
              onBlock={setBlocking}
            />
          ))}
        </ul>
      )}
      <BlockDialog
        target={blocking}
        onDone={(blocked) => {
          if (blocked && blocking && activeKey === friendKey(blocking.userId)) window.location.hash = '#/';
          setBlocking(null);
        }}
      />
      <ConfirmDialog
        open={removing !== null}
        title={t('friends:remove.title')}
        confirmLabel={t('friends:remove.confirm')}
        danger
        onConfirm={confirmRemove}
        onCancel={() => setRemoving(null)}
      >
        {t('friends:remove.body', { name: removing?.displayName ?? '' })}
      </ConfirmDialog>
    </>
  );
}

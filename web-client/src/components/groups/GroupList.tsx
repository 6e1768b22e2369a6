import type { GroupInfo } from '@imw/shared';
import { useT } from '../../i18n/useT';
import { conversationHash } from '../../lib/route';
import { useChatStore, useSocialStore } from '../../state/AppState';
import { groupKey } from '../../state/chat';
import { useStore } from '../../state/store';
import { Icon } from '../Icon';
import { UnreadBadge } from '../Presence';

function GroupRow({ group, active }: { group: GroupInfo; active: boolean }) {
  const { t } = useT();
  const chat = useChatStore();
  const key = groupKey(group.groupId);
  const unread = useStore(chat, (s) => s.conversations.get(key)?.unread ?? 0);
  return (
    <li className="contact">
      <a className="contact-link" href={conversationHash(key)} aria-current={active ? 'page' : undefined}>
        <span className="group-mark" aria-hidden="true">
          <Icon name="users" size={16} />
        </span>
        <span className="contact-text">
          <span className="contact-name">{group.name}</span>
          <span className="contact-status">{t('groups:memberCount', { count: group.memberCount })}</span>
        </span>
        <UnreadBadge count={unread} />
      </a>
    </li>
  );
}

export function GroupList({ activeKey }: { activeKey: string | null }) {
  const { t } = useT();
  const social = useSocialStore();
  const groups = useStore(social, (s) => s.groups);
  const loaded = useStore(social, (s) => s.loaded);
  if (groups.length === 0) {
    return <p className="empty">{loaded ? t('groups:empty') : t('common:loading')}</p>;
  }
  return (
    <ul className="plain-list contact-list">
      {groups.map((g) => (
        <GroupRow key={g.groupId} group={g} active={activeKey === groupKey(g.groupId)} />
      ))}
    </ul>
  );
}

import type { GroupInfo } from '@imw/shared';
import { useT } from '../../i18n/useT';
import { conversationHash } from '../../lib/route';
import { useChatStore, useSocialStore } from '../../state/AppState';
import { groupKey } from '../../state/chat';
import { useStore } from '../../state/store';
import { Icon } from '../Icon';
import { UnreadBadge } from '../Presence';

/**
 * R-GRP-33: what tells groups of one name apart: owner, member count and creation time
 * ("3 members · by Ann · created 5 Dec 2026, 14:03"). `brief` gives the member count only.
 */
export function useGroupDetails(): (g: GroupInfo, brief?: boolean) => string {
  const { t, i18n } = useT();
  // With the time: two groups made the same day (the usual duplicate) still differ.
  const created = new Intl.DateTimeFormat(i18n.language, {
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
  });
  return (g, brief = false) => {
    const members = t('groups:memberCount', { count: g.memberCount });
    if (brief) return members;
    const date = created.format(new Date(g.createdAtMs));
    return g.ownerName
      ? t('groups:details', { members, owner: g.ownerName, date })
      : t('groups:detailsNoOwner', { members, date });
  };
}

export const sameName = (a: string, b: string) => a.trim().toLowerCase() === b.trim().toLowerCase();

function GroupRow({ group, active, clash }: { group: GroupInfo; active: boolean; clash: boolean }) {
  const details = useGroupDetails();
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
          <span className="contact-status">{details(group, !clash)}</span>
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
        <GroupRow
          key={g.groupId}
          group={g}
          active={activeKey === groupKey(g.groupId)}
          // Only a name shared with another of the user's groups needs the owner and date.
          clash={groups.some((o) => o.groupId !== g.groupId && sameName(o.name, g.name))}
        />
      ))}
    </ul>
  );
}

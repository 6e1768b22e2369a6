import type { GroupInfo } from '@imw/shared';
import { conversationHash } from '../../lib/route';
import { useChatStore, useSocialStore } from '../../state/AppState';
import { groupKey } from '../../state/chat';
import { useStore } from '../../state/store';
import { Icon } from '../Icon';
import { UnreadBadge } from '../Presence';

export const membersLabel = (n: number) => `${n} member${n === 1 ? '' : 's'}`;

// With the time: two groups made the same day (the usual duplicate) still differ.
const createdFormat = new Intl.DateTimeFormat(undefined, {
  day: 'numeric',
  month: 'short',
  year: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
});

/**
 * R-GRP-33: what tells groups of one name apart: owner, member count and creation date
 * ("3 members · by Ann · created 5 Dec 2026, 14:03"). `brief` leaves out owner and date.
 */
export function groupDetails(g: GroupInfo, brief = false): string {
  const members = membersLabel(g.memberCount);
  if (brief) return members;
  const owner = g.ownerName ? ` · by ${g.ownerName}` : '';
  return `${members}${owner} · created ${createdFormat.format(new Date(g.createdAtMs))}`;
}

function GroupRow({ group, active, clash }: { group: GroupInfo; active: boolean; clash: boolean }) {
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
          <span className="contact-status">{groupDetails(group, !clash)}</span>
        </span>
        <UnreadBadge count={unread} />
      </a>
    </li>
  );
}

export const sameName = (a: string, b: string) => a.trim().toLowerCase() === b.trim().toLowerCase();

export function GroupList({ activeKey }: { activeKey: string | null }) {
  const social = useSocialStore();
  const groups = useStore(social, (s) => s.groups);
  const loaded = useStore(social, (s) => s.loaded);
  if (groups.length === 0) {
    return <p className="empty">{loaded ? 'No groups yet. Create or find one.' : 'Loading…'}</p>;
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

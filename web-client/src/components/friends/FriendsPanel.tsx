import { useId } from 'react';
import { useT } from '../../i18n/useT';
import { AddFriendForm } from './AddFriendForm';
import { FriendList } from './FriendList';
import { FriendRequests } from './FriendRequests';

export function FriendsPanel({ activeKey }: { activeKey: string | null }) {
  const { t } = useT();
  const headingId = useId();
  return (
    <section className="sidebar-section" aria-labelledby={headingId}>
      <h2 id={headingId}>{t('friends:title')}</h2>
      <FriendList activeKey={activeKey} />
      <FriendRequests />
      <AddFriendForm />
    </section>
  );
}

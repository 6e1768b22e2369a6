import { useId } from 'react';
import { AddFriendForm } from './AddFriendForm';
import { FriendList } from './FriendList';
import { FriendRequests } from './FriendRequests';

export function FriendsPanel({ activeKey }: { activeKey: string | null }) {
  const headingId = useId();
  return (
    <section className="sidebar-section" aria-labelledby={headingId}>
      <h2 id={headingId}>Friends</h2>
      <FriendList activeKey={activeKey} />
      <FriendRequests />
      <AddFriendForm />
    </section>
  );
}

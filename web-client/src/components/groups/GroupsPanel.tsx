import { useId } from 'react';
import { CreateGroupForm } from './CreateGroupForm';
import { FindGroups } from './FindGroups';
import { GroupList } from './GroupList';

export function GroupsPanel({ activeKey }: { activeKey: string | null }) {
  const headingId = useId();
  return (
    <section className="sidebar-section" aria-labelledby={headingId}>
      <h2 id={headingId}>Groups</h2>
      <GroupList activeKey={activeKey} />
      <CreateGroupForm />
      <FindGroups />
    </section>
  );
}

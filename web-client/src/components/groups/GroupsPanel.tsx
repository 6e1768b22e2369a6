import { useId } from 'react';
import { useT } from '../../i18n/useT';
import { CreateGroupForm } from './CreateGroupForm';
import { FindGroups } from './FindGroups';
import { GroupList } from './GroupList';

export function GroupsPanel({ activeKey }: { activeKey: string | null }) {
  const { t } = useT();
  const headingId = useId();
  return (
    <section className="sidebar-section" aria-labelledby={headingId}>
      <h2 id={headingId}>{t('groups:title')}</h2>
      <GroupList activeKey={activeKey} />
      <CreateGroupForm />
      <FindGroups />
    </section>
  );
}

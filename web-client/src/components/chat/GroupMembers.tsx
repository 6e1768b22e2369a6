import { useEffect, useId, useState } from 'react';
import { useT } from '../../i18n/useT';
import { useSocialStore } from '../../state/AppState';
import { useStore } from '../../state/store';
import { PresenceDot, StatusText } from '../Presence';
import { ReportDialog, type ReportTarget } from '../ReportDialog';

const wide = () => window.matchMedia('(min-width: 900px)').matches;

/** The members of a group with their presence; the owner is marked. */
export function GroupMembers({ groupId, myId }: { groupId: number; myId: number }) {
  const { t } = useT();
  const social = useSocialStore();
  const members = useStore(social, (s) => s.members.get(groupId));
  const listId = useId();
  const [reporting, setReporting] = useState<ReportTarget | null>(null);

  useEffect(() => {
    social.loadMembers(groupId).catch((e: unknown) => console.warn('could not load members', e));
  }, [social, groupId]);

  return (
    <details className="members" open={wide()}>
      <summary>
        {members ? t('groups:members.titleCount', { count: members.length }) : t('groups:members.title')}
      </summary>
      {members ? (
        <ul id={listId} className="plain-list member-list" aria-label={t('groups:members.title')}>
          {members.map((m) => (
            <li key={m.userId} className="member">
              <PresenceDot status={m.status} />
              <span className="member-name" title={`@${m.username}`}>
                {m.displayName}
                {m.userId === myId && t('groups:members.you')}
              </span>
              {m.isOwner && <span className="tag tag--owner">{t('groups:members.owner')}</span>}
              <span className="member-status">
                <StatusText status={m.status} />
              </span>
              {m.userId !== myId && (
                <button
                  type="button"
                  className="member-report"
                  title={t('chat:report.userAction', { name: m.displayName })}
                  onClick={() => setReporting({ userId: m.userId, name: m.displayName })}
                >
                  {t('chat:report.action')}
                </button>
              )}
            </li>
          ))}
        </ul>
      ) : (
        <p className="empty">{t('common:loading')}</p>
      )}
      <ReportDialog target={reporting} onClose={() => setReporting(null)} />
    </details>
  );
}

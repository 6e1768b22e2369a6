import { useEffect, useId, useState } from 'react';
import { useSocialStore } from '../../state/AppState';
import { useStore } from '../../state/store';
import { PresenceDot, STATUS_LABEL } from '../Presence';
import { ReportDialog, type ReportTarget } from '../ReportDialog';

const wide = () => window.matchMedia('(min-width: 900px)').matches;

/** The members of a group with their presence; the owner is marked. */
export function GroupMembers({ groupId, myId }: { groupId: number; myId: number }) {
  const social = useSocialStore();
  const members = useStore(social, (s) => s.members.get(groupId));
  const listId = useId();
  const [reporting, setReporting] = useState<ReportTarget | null>(null);

  useEffect(() => {
    social.loadMembers(groupId).catch((e: unknown) => console.warn('could not load members', e));
  }, [social, groupId]);

  return (
    <details className="members" open={wide()}>
      <summary>Members{members ? ` (${members.length})` : ''}</summary>
      {members ? (
        <ul id={listId} className="plain-list member-list" aria-label="Members">
          {members.map((m) => (
            <li key={m.userId} className="member">
              <PresenceDot status={m.status} />
              <span className="member-name" title={`@${m.username}`}>
                {m.displayName}
                {m.userId === myId && ' (you)'}
              </span>
              {m.isOwner && <span className="tag tag--owner">Owner</span>}
              <span className="member-status">{STATUS_LABEL[m.status]}</span>
              {m.userId !== myId && (
                <button
                  type="button"
                  className="member-report"
                  aria-label={`Report ${m.displayName}`}
                  onClick={() => setReporting({ userId: m.userId, name: m.displayName })}
                >
                  Report
                </button>
              )}
            </li>
          ))}
        </ul>
      ) : (
        <p className="empty">Loading…</p>
      )}
      <ReportDialog target={reporting} onClose={() => setReporting(null)} />
    </details>
  );
}

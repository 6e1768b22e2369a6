import type { GroupInfo } from '@imw/shared';
import { useId, useState } from 'react';
import { msg } from '../../i18n';
import { useT } from '../../i18n/useT';
import { describeError, type Problem } from '../../lib/errors';
import { openConversation } from '../../lib/route';
import { useSocialStore } from '../../state/AppState';
import { groupKey } from '../../state/chat';
import { useStore } from '../../state/store';
import { ErrorAlert } from '../ErrorAlert';
import { InlineForm } from '../InlineForm';
import { useGroupDetails } from './GroupList';

/** Search groups by name and join one. */
export function FindGroups() {
  const { t } = useT();
  const social = useSocialStore();
  const details = useGroupDetails();
  const mine = useStore(social, (s) => s.groups);
  const [results, setResults] = useState<readonly GroupInfo[] | null>(null);
  const [joining, setJoining] = useState<number | null>(null);
  const [error, setError] = useState<Problem | null>(null);
  const resultsId = useId();

  async function join(g: GroupInfo) {
    setJoining(g.groupId);
    setError(null);
    try {
      await social.joinGroup(g.groupId);
      openConversation(groupKey(g.groupId));
    } catch (e) {
      setError(describeError(e, { LIMIT_EXCEEDED: 'groups:find.full', NOT_FOUND: 'groups:find.gone' }));
    } finally {
      setJoining(null);
    }
  }

  return (
    <div className="find-groups">
      <InlineForm
        label={t('groups:find.label')}
        buttonLabel={t('groups:find.button')}
        emptyMessage="groups:find.empty"
        maxLength={64}
        keepValue
        allowEmpty
        onSubmit={async (query) => {
          const found = await social.searchGroups(query);
          setResults(found);
          return found.length === 0 ? msg('groups:find.none') : null;
        }}
      />
      {results && results.length > 0 && (
        <ul id={resultsId} className="plain-list search-results" aria-label={t('groups:find.results')}>
          {results.map((g) => {
            const member = mine.some((m) => m.groupId === g.groupId);
            return (
              <li key={g.groupId} className="search-result">
                <span className="contact-text">
                  <span className="contact-name">{g.name}</span>
                  <span className="contact-status">{details(g)}</span>
                </span>
                {member ? (
                  <button
                    type="button"
                    className="button button--small button--secondary"
                    aria-label={t('groups:find.openNamed', { name: g.name })}
                    onClick={() => openConversation(groupKey(g.groupId))}
                  >
                    {t('groups:find.open')}
                  </button>
                ) : (
                  <button
                    type="button"
                    className="button button--small"
                    aria-label={t('groups:find.joinNamed', { name: g.name })}
                    disabled={joining === g.groupId}
                    onClick={() => join(g)}
                  >
                    {t('groups:find.join')}
                  </button>
                )}
              </li>
            );
          })}
        </ul>
      )}
      <ErrorAlert problem={error} />
    </div>
  );
}

import type { GroupInfo } from '@imw/shared';
import { useId, useState } from 'react';
import { describeError, type Problem } from '../../lib/errors';
import { openConversation } from '../../lib/route';
import { useSocialStore } from '../../state/AppState';
import { groupKey } from '../../state/chat';
import { useStore } from '../../state/store';
import { ErrorAlert } from '../ErrorAlert';
import { InlineForm } from '../InlineForm';
import { groupDetails } from './GroupList';

/** Search groups by name and join one. */
export function FindGroups() {
  const social = useSocialStore();
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
      setError(describeError(e, { LIMIT_EXCEEDED: 'That group is full.', NOT_FOUND: 'That group is gone.' }));
    } finally {
      setJoining(null);
    }
  }

  return (
    <div className="find-groups">
      <InlineForm
        label="Find groups"
        buttonLabel="Search"
        emptyMessage="Enter part of a group name."
        maxLength={64}
        keepValue
        allowEmpty
        onSubmit={async (query) => {
          const found = await social.searchGroups(query);
          setResults(found);
          return found.length === 0 ? 'No groups match.' : null;
        }}
      />
      {results && results.length > 0 && (
        <ul id={resultsId} className="plain-list search-results" aria-label="Groups found">
          {results.map((g) => {
            const member = mine.some((m) => m.groupId === g.groupId);
            return (
              <li key={g.groupId} className="search-result">
                <span className="contact-text">
                  <span className="contact-name">{g.name}</span>
                  <span className="contact-status">{groupDetails(g)}</span>
                </span>
                {member ? (
                  <button
                    type="button"
                    className="button button--small button--secondary"
                    aria-label={`Open ${g.name}`}
                    onClick={() => openConversation(groupKey(g.groupId))}
                  >
                    Open
                  </button>
                ) : (
                  <button
                    type="button"
                    className="button button--small"
                    aria-label={`Join ${g.name}`}
                    disabled={joining === g.groupId}
                    onClick={() => join(g)}
                  >
                    Join
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

import type { Result } from '@imw/shared';
import { type FormEvent, useId, useState } from 'react';
import { useT } from '../../i18n/useT';
import { describeError, type Problem } from '../../lib/errors';
import { openConversation } from '../../lib/route';
import { formatTime } from '../../lib/time';
import { useClient } from '../../sdk-context';
import { useSignedIn } from '../../session';
import { useSocialStore } from '../../state/AppState';
import { friendKey, keyOf } from '../../state/keys';
import { useStore } from '../../state/store';
import { ErrorAlert } from '../ErrorAlert';
import { jumpWhenOpen } from './rich';

type Hits = Result<'chat.search'>;
type People = Result<'chat.searchPeople'>['people'];

/**
 * R-SRCH-1..4: search the user's own conversations (newest first, paged) and people among friends
 * and fellow group members; a hit opens its conversation and jumps to the message.
 */
export function SearchPanel() {
  const { t, i18n } = useT();
  const client = useClient();
  const me = useSignedIn().profile.userId;
  const social = useSocialStore();
  const friends = useStore(social, (s) => s.friends);
  const groups = useStore(social, (s) => s.groups);
  const headingId = useId();
  const inputId = useId();
  const [query, setQuery] = useState('');
  const [hits, setHits] = useState<Hits | null>(null);
  const [people, setPeople] = useState<People>([]);
  const [error, setError] = useState<Problem | null>(null);

  const convName = (conv: string) => {
    const key = keyOf(me, conv);
    if (key?.startsWith('g:')) return groups.find((g) => `g:${g.groupId}` === key)?.name ?? key;
    return friends.find((f) => key === friendKey(f.userId))?.displayName ?? t('chat:someone');
  };

  async function search(e: FormEvent, more = false) {
    e.preventDefault();
    const q = query.trim();
    if (!q) return;
    setError(null);
    try {
      const beforeId = more ? hits?.hits.at(-1)?.messageId : undefined;
      const page = await client.request('chat.search', { query: q, ...(beforeId ? { beforeId } : {}) });
      setHits(more && hits ? { hits: [...hits.hits, ...page.hits], more: page.more } : page);
      if (!more) setPeople((await client.request('chat.searchPeople', { query: q })).people);
    } catch (err) {
      setError(describeError(err));
    }
  }

  return (
    <section className="sidebar-section search-panel" aria-labelledby={headingId}>
      <h2 id={headingId}>{t('chat:search.title')}</h2>
      <form className="inline-form" onSubmit={(e) => void search(e)}>
        <label htmlFor={inputId} className="visually-hidden">
          {t('chat:search.label')}
        </label>
        <input
          id={inputId}
          type="search"
          value={query}
          maxLength={100}
          placeholder={t('chat:search.placeholder')}
          onChange={(e) => setQuery(e.target.value)}
        />
        <button type="submit" className="button button--small">
          {t('chat:search.button')}
        </button>
      </form>
      <ErrorAlert problem={error} />
      {hits && (
        <>
          {people.length > 0 && (
            <>
              <h3>{t('chat:search.people')}</h3>
              <ul className="search-results">
                {people.map((p) => (
                  <li key={p.userId}>
                    <button
                      type="button"
                      className="text-button"
                      disabled={!p.friend}
                      onClick={() => openConversation(friendKey(p.userId))}
                    >
                      {p.displayName} @{p.username} ·{' '}
                      {p.friend ? t('chat:search.friend') : t('chat:search.member')}
                    </button>
                  </li>
                ))}
              </ul>
            </>
          )}
          <h3>{t('chat:search.messages')}</h3>
          {hits.hits.length === 0 && <p className="muted">{t('chat:search.none')}</p>}
          <ul className="search-results" aria-label={t('chat:search.messages')}>
            {hits.hits.map((h) => (
              <li key={h.messageId}>
                <button
                  type="button"
                  className="search-hit"
                  onClick={() => {
                    const key = keyOf(me, h.conv);
                    if (!key) return;
                    jumpWhenOpen(key, h.seq);
                    openConversation(key);
                  }}
                >
                  <span className="search-hit-where">
                    {convName(h.conv)} · {formatTime(h.atMs, i18n.language)}
                  </span>
                  <span className="search-hit-text">{h.text}</span>
                </button>
              </li>
            ))}
          </ul>
          {hits.more && (
            <button type="button" className="text-button" onClick={(e) => void search(e, true)}>
              {t('chat:search.more')}
            </button>
          )}
        </>
      )}
    </section>
  );
}

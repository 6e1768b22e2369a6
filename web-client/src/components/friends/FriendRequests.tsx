import type { UserSummary } from '@imw/shared';
import { type ReactNode, useId, useState } from 'react';
import { useT } from '../../i18n/useT';
import { describeError, type Problem } from '../../lib/errors';
import { useSocialStore } from '../../state/AppState';
import { useStore } from '../../state/store';
import { Avatar } from '../Avatar';
import { ErrorAlert } from '../ErrorAlert';

/** Requests this user received (Accept / Decline) and sent (Cancel). Hidden when there are none. */
export function FriendRequests() {
  const { t } = useT();
  const social = useSocialStore();
  const incoming = useStore(social, (s) => s.incoming);
  const outgoing = useStore(social, (s) => s.outgoing);
  const [busy, setBusy] = useState<number | null>(null);
  const [error, setError] = useState<Problem | null>(null);
  const headingId = useId();

  if (incoming.length === 0 && outgoing.length === 0) return null;

  async function act(userId: number, task: () => Promise<void>) {
    setBusy(userId);
    setError(null);
    try {
      await task();
    } catch (e) {
      setError(describeError(e, { NOT_FOUND: 'friends:requests.gone' }));
    } finally {
      setBusy(null);
    }
  }

  const row = (u: UserSummary, note: string, actions: ReactNode) => (
    <li key={u.userId} className="request">
      <Avatar avatar={u.avatar} name={u.displayName} size="sm" />
      <span className="request-text">
        <span className="request-name" title={`@${u.username}`}>
          {u.displayName}
        </span>
        <span className="request-note">{note}</span>
      </span>
      <span className="request-actions">{actions}</span>
    </li>
  );

  return (
    <section className="requests" aria-labelledby={headingId}>
      <h3 id={headingId}>{t('friends:requests.title')}</h3>
      <ul className="plain-list">
        {incoming.map((u) =>
          row(
            u,
            t('friends:requests.incoming'),
            <>
              <button
                type="button"
                className="button button--small"
                aria-label={t('friends:requests.acceptNamed', { name: u.displayName })}
                disabled={busy === u.userId}
                onClick={() => act(u.userId, () => social.accept(u.userId))}
              >
                {t('friends:requests.accept')}
              </button>
              <button
                type="button"
                className="button button--small button--secondary"
                aria-label={t('friends:requests.declineNamed', { name: u.displayName })}
                disabled={busy === u.userId}
                onClick={() => act(u.userId, () => social.decline(u.userId))}
              >
                {t('friends:requests.decline')}
              </button>
            </>,
          ),
        )}
        {outgoing.map((u) =>
          row(
            u,
            t('friends:requests.outgoing'),
            <button
              type="button"
              className="button button--small button--secondary"
              aria-label={t('friends:requests.cancelNamed', { name: u.displayName })}
              disabled={busy === u.userId}
              onClick={() => act(u.userId, () => social.cancel(u.userId))}
            >
              {t('common:cancel')}
            </button>,
          ),
        )}
      </ul>
      <ErrorAlert problem={error} />
    </section>
  );
}

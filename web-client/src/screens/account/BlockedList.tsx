import { useState } from 'react';
import { Avatar } from '../../components/Avatar';
import { ErrorAlert } from '../../components/ErrorAlert';
import { useT } from '../../i18n/useT';
import { describeError, type Problem } from '../../lib/errors';
import { useBlockStore } from '../../state/AppState';
import { useStore } from '../../state/store';

/** R-BLK-9: whom the user blocks, with Unblock. Unblocking brings back no friendship. */
export function BlockedList() {
  const { t, i18n } = useT();
  const since = new Intl.DateTimeFormat(i18n.language, { day: 'numeric', month: 'short', year: 'numeric' });
  const blocks = useBlockStore();
  const blocked = useStore(blocks, (s) => s.blocked);
  const loaded = useStore(blocks, (s) => s.loaded);
  const [error, setError] = useState<Problem | null>(null);

  async function unblock(userId: number) {
    setError(null);
    try {
      await blocks.unblock(userId);
    } catch (e) {
      setError(describeError(e, { NOT_FOUND: 'account:blocked.gone' }));
    }
  }

  return (
    <>
      <p className="hint">{t('account:blocked.hint')}</p>
      {blocked.length === 0 ? (
        <p className="empty">{loaded ? t('account:blocked.empty') : t('common:loading')}</p>
      ) : (
        <ul className="plain-list blocked-list" aria-label={t('account:blocked.title')}>
          {blocked.map((b) => (
            <li key={b.userId} className="blocked-row">
              <Avatar avatar={b.avatar} name={b.displayName} size="sm" />
              <span className="contact-text">
                <span className="contact-name">{b.displayName}</span>
                <span className="contact-status">
                  {t('account:blocked.since', {
                    username: b.username,
                    date: since.format(new Date(b.sinceMs)),
                  })}
                </span>
              </span>
              <button
                type="button"
                className="button button--small button--secondary"
                aria-label={t('account:blocked.unblockNamed', { name: b.displayName })}
                onClick={() => void unblock(b.userId)}
              >
                {t('account:blocked.unblock')}
              </button>
            </li>
          ))}
        </ul>
      )}
      <ErrorAlert problem={error} />
    </>
  );
}

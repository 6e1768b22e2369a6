import type { SessionInfo } from '@imw/shared';
import { useEffect, useState } from 'react';
import { ErrorAlert } from '../../components/ErrorAlert';
import { useT } from '../../i18n/useT';
import { problem } from '../../lib/errors';
import { formatTime } from '../../lib/time';
import { useSubmit } from '../../lib/useSubmit';
import { useClient } from '../../sdk-context';

/** R-DEV-4: where this account is logged in right now, with a way to end the other sessions. */
export function SessionsList() {
  const { t, i18n } = useT();
  const client = useClient();
  const [sessions, setSessions] = useState<readonly SessionInfo[] | null>(null);
  const { pending, error, setError, run } = useSubmit({ NOT_FOUND: 'account:sessions.gone' });

  useEffect(() => {
    let live = true;
    client.listSessions().then(
      (list) => live && setSessions(list),
      () => live && setError(problem('account:sessions.loadFailed')),
    );
    return () => {
      live = false;
    };
  }, [client, setError]);

  if (sessions === null) return <ErrorAlert problem={error} />;
  return (
    <div className="form">
      <ul className="plain-list">
        {sessions.map((s) => (
          <li key={s.sessionId} className="session-row">
            <span>
              {t(s.mode === 'scene' ? 'account:sessions.rowWorld' : 'account:sessions.row', {
                device: s.device,
                since: formatTime(s.sinceMs, i18n.language),
              })}
              {s.current ? t('account:sessions.current') : ''}
            </span>
            {!s.current && (
              <button
                type="button"
                className="button button--secondary"
                disabled={pending}
                onClick={() =>
                  void run(async () => {
                    await client.endSession(s.sessionId);
                    setSessions(await client.listSessions());
                  })
                }
              >
                {t('account:sessions.end')}
              </button>
            )}
          </li>
        ))}
      </ul>
      <ErrorAlert problem={error} />
    </div>
  );
}

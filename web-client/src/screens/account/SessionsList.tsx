import type { SessionInfo } from '@imw/shared';
import { useEffect, useState } from 'react';
import { ErrorAlert } from '../../components/ErrorAlert';
import { problem } from '../../lib/errors';
import { formatTime } from '../../lib/time';
import { useSubmit } from '../../lib/useSubmit';
import { useClient } from '../../sdk-context';

/** R-DEV-4: where this account is logged in right now, with a way to end the other sessions. */
export function SessionsList() {
  const client = useClient();
  const [sessions, setSessions] = useState<readonly SessionInfo[] | null>(null);
  const { pending, error, setError, run } = useSubmit({ NOT_FOUND: 'That session has already ended.' });

  useEffect(() => {
    let live = true;
    client.listSessions().then(
      (list) => live && setSessions(list),
      () => live && setError(problem('Could not load your sessions.')),
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
              {s.device}
              {s.mode === 'scene' ? ' (world)' : ''} — since {formatTime(s.sinceMs)}
              {s.current ? ' — this device' : ''}
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
                End
              </button>
            )}
          </li>
        ))}
      </ul>
      <ErrorAlert problem={error} />
    </div>
  );
}

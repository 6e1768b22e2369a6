import { useState } from 'react';
import { Avatar } from '../../components/Avatar';
import { ErrorAlert } from '../../components/ErrorAlert';
import { describeError, type Problem } from '../../lib/errors';
import { useBlockStore } from '../../state/AppState';
import { useStore } from '../../state/store';

const since = new Intl.DateTimeFormat(undefined, { day: 'numeric', month: 'short', year: 'numeric' });

/** R-BLK-9: whom the user blocks, with Unblock. Unblocking brings back no friendship. */
export function BlockedList() {
  const blocks = useBlockStore();
  const blocked = useStore(blocks, (s) => s.blocked);
  const loaded = useStore(blocks, (s) => s.loaded);
  const [error, setError] = useState<Problem | null>(null);

  async function unblock(userId: number) {
    setError(null);
    try {
      await blocks.unblock(userId);
    } catch (e) {
      setError(describeError(e, { NOT_FOUND: 'That user is no longer blocked.' }));
    }
  }

  return (
    <>
      <p className="hint">
        People you block cannot message you, call you, send you friend requests or talk to you in the world.
        They are not told.
      </p>
      {blocked.length === 0 ? (
        <p className="empty">{loaded ? 'You have not blocked anyone.' : 'Loading…'}</p>
      ) : (
        <ul className="plain-list blocked-list" aria-label="Blocked users">
          {blocked.map((b) => (
            <li key={b.userId} className="blocked-row">
              <Avatar avatar={b.avatar} name={b.displayName} size="sm" />
              <span className="contact-text">
                <span className="contact-name">{b.displayName}</span>
                <span className="contact-status">
                  @{b.username} · blocked {since.format(new Date(b.sinceMs))}
                </span>
              </span>
              <button
                type="button"
                className="button button--small button--secondary"
                aria-label={`Unblock ${b.displayName}`}
                onClick={() => void unblock(b.userId)}
              >
                Unblock
              </button>
            </li>
          ))}
        </ul>
      )}
      <ErrorAlert problem={error} />
    </>
  );
}

import { type FormEvent, useEffect, useId, useRef, useState } from 'react';
import type { AdminApi, UserView } from './api';
import { ConfirmButton } from './ConfirmButton';
import { ModerateDialog, type Moderation } from './ModerateDialog';
import { usePoll } from './usePoll';

/**
 * R-ADM-2, R-ADM-3: how many are online (invisible users counted, never named), and accounts by
 * name with the status others see. Per user: notice, kick, warn, suspend, delete.
 */
export function UsersPanel({
  api,
  onUnauthorized,
  onChanged,
}: {
  api: AdminApi;
  onUnauthorized: () => void;
  onChanged: () => void;
}) {
  const online = usePoll(api.online, 3000, onUnauthorized);
  const [query, setQuery] = useState('');
  const [found, setFound] = useState<UserView[] | null>(null);
  const [status, setStatus] = useState<string | null>(null);
  const [moderating, setModerating] = useState<{ user: UserView; kind: Moderation } | null>(null);
  const [notice, setNotice] = useState<{ user: UserView; text: string } | null>(null);
  const ids = { query: useId(), notice: useId() };

  async function search(e?: FormEvent) {
    e?.preventDefault();
    if (!query.trim()) return;
    try {
      setFound((await api.searchUsers(query.trim())).users);
      setStatus(null);
    } catch (err) {
      setStatus(err instanceof Error ? err.message : String(err));
    }
  }

  // Statuses change: the results are searched again while they are shown.
  const again = useRef(search);
  again.current = search;
  const showing = found !== null;
  useEffect(() => {
    if (!showing) return;
    const timer = setInterval(() => void again.current(), 5000);
    return () => clearInterval(timer);
  }, [showing]);

  async function act(what: string, fn: () => Promise<unknown>) {
    try {
      await fn();
      setStatus(what);
      onChanged();
      void search();
    } catch (err) {
      setStatus(err instanceof Error ? err.message : String(err));
    }
  }

  return (
    <section className="card admin-panel" aria-labelledby="users-h">
      <h2 id="users-h">Users</h2>
      <p className="admin-big" aria-live="polite">
        <span data-testid="online-count">{online.value?.users ?? '…'}</span> online
      </p>
      <p className="admin-muted">Invisible users are counted here and shown as offline everywhere else.</p>
      <form className="admin-row" onSubmit={search} aria-label="Find a user">
        <label className="visually-hidden" htmlFor={ids.query}>
          Find a user by name
        </label>
        <input
          id={ids.query}
          type="search"
          placeholder="Username or display name"
          value={query}
          maxLength={64}
          onChange={(e) => setQuery(e.target.value)}
        />
        <button type="submit" className="button button--small">
          Find
        </button>
      </form>
      {found && found.length === 0 && <p className="empty">No such user.</p>}
      {found && found.length > 0 && (
        <ul className="plain-list admin-users" aria-label="Users found">
          {found.map((u) => (
            <li key={u.userId} className="admin-user" data-username={u.username}>
              <div>
                <strong>{u.displayName}</strong> <span className="admin-muted">@{u.username}</span>{' '}
                <span className={`tag admin-status admin-status--${u.status}`}>{u.status}</span>
              </div>
              <div className="admin-actions">
                <button
                  type="button"
                  className="button button--secondary button--small"
                  onClick={() => setNotice({ user: u, text: '' })}
                >
                  Notice
                </button>
                <ConfirmButton
                  label="Kick"
                  confirm={`Sign ${u.displayName} out of every device? They can log in again.`}
                  onConfirm={() => void act(`${u.username} was signed out.`, () => api.kick(u.userId))}
                />
                <button
                  type="button"
                  className="button button--secondary button--small"
                  onClick={() => setModerating({ user: u, kind: 'warn' })}
                >
                  Warn
                </button>
                <button
                  type="button"
                  className="button button--secondary button--small"
                  onClick={() => setModerating({ user: u, kind: 'suspend' })}
                >
                  Suspend
                </button>
                <button
                  type="button"
                  className="button button--secondary button--small"
                  onClick={() => setModerating({ user: u, kind: 'delete' })}
                >
                  Delete
                </button>
              </div>
            </li>
          ))}
        </ul>
      )}
      {notice && (
        <form
          className="admin-inline"
          onSubmit={(e) => {
            e.preventDefault();
            const { user, text } = notice;
            setNotice(null);
            void act(`Notice sent to ${user.username}.`, () => api.notice(text, user.userId));
          }}
        >
          <label htmlFor={ids.notice}>Notice to {notice.user.displayName}</label>
          <textarea
            id={ids.notice}
            maxLength={2000}
            required
            value={notice.text}
            onChange={(e) => setNotice({ ...notice, text: e.target.value })}
          />
          <div className="admin-actions">
            <button type="submit" className="button button--small">
              Send notice
            </button>
            <button
              type="button"
              className="button button--secondary button--small"
              onClick={() => setNotice(null)}
            >
              Cancel
            </button>
          </div>
        </form>
      )}
      {status && (
        <p className="admin-muted" role="status">
          {status}
        </p>
      )}
      <ModerateDialog
        target={moderating ? { userId: moderating.user.userId, name: moderating.user.username } : null}
        kind={moderating?.kind ?? 'warn'}
        api={api}
        onDone={(what) => {
          setModerating(null);
          if (what) {
            setStatus(what);
            onChanged();
            void search();
          }
        }}
      />
    </section>
  );
}

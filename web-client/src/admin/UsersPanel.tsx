import { type FormEvent, useEffect, useId, useRef, useState } from 'react';
import { useT } from '../i18n/useT';
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
  const { t } = useT();
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
      <h2 id="users-h">{t('admin:users.title')}</h2>
      <p className="admin-big" aria-live="polite">
        <span data-testid="online-count">{online.value?.users ?? '…'}</span> {t('admin:users.online')}
      </p>
      <p className="admin-muted">{t('admin:users.invisibleNote')}</p>
      <form className="admin-row" onSubmit={search} aria-label={t('admin:users.findForm')}>
        <label className="visually-hidden" htmlFor={ids.query}>
          {t('admin:users.findLabel')}
        </label>
        <input
          id={ids.query}
          type="search"
          placeholder={t('admin:users.placeholder')}
          value={query}
          maxLength={64}
          onChange={(e) => setQuery(e.target.value)}
        />
        <button type="submit" className="button button--small">
          {t('admin:users.find')}
        </button>
      </form>
      {found && found.length === 0 && <p className="empty">{t('admin:users.none')}</p>}
      {found && found.length > 0 && (
        <ul className="plain-list admin-users" aria-label={t('admin:users.found')}>
          {found.map((u) => (
            <li key={u.userId} className="admin-user" data-username={u.username}>
              <div>
                <strong>{u.displayName}</strong> <span className="admin-muted">@{u.username}</span>{' '}
                <span className={`tag admin-status admin-status--${u.status}`}>
                  {t(`admin:users.status.${u.status}`)}
                </span>
              </div>
              <div className="admin-actions">
                <button
                  type="button"
                  className="button button--secondary button--small"
                  onClick={() => setNotice({ user: u, text: '' })}
                >
                  {t('admin:users.notice')}
                </button>
                <ConfirmButton
                  label={t('admin:users.kick')}
                  confirm={t('admin:users.kickConfirm', { name: u.displayName })}
                  onConfirm={() =>
                    void act(t('admin:users.kicked', { name: u.username }), () => api.kick(u.userId))
                  }
                />
                <button
                  type="button"
                  className="button button--secondary button--small"
                  onClick={() => setModerating({ user: u, kind: 'warn' })}
                >
                  {t('admin:users.warn')}
                </button>
                <button
                  type="button"
                  className="button button--secondary button--small"
                  onClick={() => setModerating({ user: u, kind: 'suspend' })}
                >
                  {t('admin:users.suspend')}
                </button>
                <button
                  type="button"
                  className="button button--secondary button--small"
                  onClick={() => setModerating({ user: u, kind: 'delete' })}
                >
                  {t('admin:users.delete')}
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
            void act(t('admin:users.noticeSent', { name: user.username }), () =>
              api.notice(text, user.userId),
            );
          }}
        >
          <label htmlFor={ids.notice}>{t('admin:users.noticeTo', { name: notice.user.displayName })}</label>
          <textarea
            id={ids.notice}
            maxLength={2000}
            required
            value={notice.text}
            onChange={(e) => setNotice({ ...notice, text: e.target.value })}
          />
          <div className="admin-actions">
            <button type="submit" className="button button--small">
              {t('admin:users.sendNotice')}
            </button>
            <button
              type="button"
              className="button button--secondary button--small"
              onClick={() => setNotice(null)}
            >
              {t('admin:users.cancel')}
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

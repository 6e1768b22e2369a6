import { useState } from 'react';
import { useT } from '../i18n/useT';
import { ActionsPanel } from './ActionsPanel';
import type { AdminApi } from './api';
import { ChartsPanel } from './ChartsPanel';
import { NodesPanel } from './NodesPanel';
import { NoticePanel } from './NoticePanel';
import { ReportsPanel } from './ReportsPanel';
import { TokenForm } from './TokenForm';
import { UsersPanel } from './UsersPanel';

/**
 * The operator console (#17). R-ADM-8: the token is held in this component's state only — gone
 * when the tab closes or reloads, never in a URL, storage or a cookie.
 */
export function AdminApp() {
  const { t } = useT();
  const [api, setApi] = useState<AdminApi | null>(null);
  const [expired, setExpired] = useState(false);
  /** Bumped after an action so the lists that it changes load again at once. */
  const [changes, setChanges] = useState(0);
  const changed = () => setChanges((n) => n + 1);

  if (!api) {
    return (
      <TokenForm
        expired={expired}
        onReady={(a) => {
          setExpired(false);
          setApi(a);
        }}
      />
    );
  }
  const signOut = () => {
    setExpired(true);
    setApi(null);
  };
  return (
    <div className="admin">
      <header className="admin-top">
        <h1>{t('admin:title')}</h1>
        <button type="button" className="button button--secondary button--small" onClick={() => setApi(null)}>
          {t('admin:lock')}
        </button>
      </header>
      <main className="admin-grid">
        <ChartsPanel api={api} onUnauthorized={signOut} />
        <NodesPanel api={api} onUnauthorized={signOut} />
        <UsersPanel api={api} onUnauthorized={signOut} onChanged={changed} />
        <NoticePanel api={api} />
        <ReportsPanel api={api} onUnauthorized={signOut} onChanged={changed} changes={changes} />
        <ActionsPanel api={api} onUnauthorized={signOut} changes={changes} />
      </main>
    </div>
  );
}

import { type FormEvent, useEffect, useId, useRef, useState } from 'react';
import { useT } from '../i18n/useT';
import { AdminApi, AdminError } from './api';

/** Asks for ADMIN_TOKEN and checks it with one call before the console opens. */
export function TokenForm({ expired, onReady }: { expired: boolean; onReady: (api: AdminApi) => void }) {
  const { t } = useT();
  const [token, setToken] = useState('');
  const [error, setError] = useState<string | null>(expired ? t('admin:token.expired') : null);
  const [busy, setBusy] = useState(false);
  const id = useId();
  const input = useRef<HTMLInputElement>(null);
  useEffect(() => input.current?.focus(), []);

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (!token) return;
    setBusy(true);
    const api = new AdminApi(token);
    try {
      await api.nodes();
      setToken('');
      onReady(api);
    } catch (err) {
      const status = err instanceof AdminError ? err.status : 0;
      setError(
        status === 401
          ? t('admin:token.wrong')
          : status === 404
            ? t('admin:token.off')
            : status === 429
              ? t('admin:token.tooMany')
              : t('admin:token.unreachable'),
      );
    } finally {
      setBusy(false);
    }
  }

  return (
    <main className="admin-login">
      <form className="card admin-login-card" onSubmit={submit}>
        <h1>{t('admin:title')}</h1>
        <p className="field-hint">{t('admin:token.hint')}</p>
        <div className="field">
          <label htmlFor={id}>{t('admin:token.label')}</label>
          <input
            ref={input}
            id={id}
            type="password"
            autoComplete="off"
            spellCheck={false}
            value={token}
            onChange={(e) => setToken(e.target.value)}
          />
        </div>
        {error && (
          <p className="alert alert--error" role="alert">
            {error}
          </p>
        )}
        <button type="submit" className="button button--block" disabled={busy || !token} aria-busy={busy}>
          {t('admin:token.open')}
        </button>
      </form>
    </main>
  );
}

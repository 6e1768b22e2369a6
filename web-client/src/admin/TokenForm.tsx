import { type FormEvent, useEffect, useId, useRef, useState } from 'react';
import { AdminApi, AdminError } from './api';

/** Asks for ADMIN_TOKEN and checks it with one call before the console opens. */
export function TokenForm({ expired, onReady }: { expired: boolean; onReady: (api: AdminApi) => void }) {
  const [token, setToken] = useState('');
  const [error, setError] = useState<string | null>(
    expired ? 'The token was refused. Enter it again.' : null,
  );
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
      setError(
        err instanceof AdminError && err.status === 401
          ? 'Wrong token.'
          : err instanceof AdminError && err.status === 404
            ? 'The admin API is off on this server (ADMIN_TOKEN is not set).'
            : err instanceof AdminError && err.status === 429
              ? 'Too many wrong tokens from this address. Wait a minute.'
              : err instanceof Error
                ? err.message
                : String(err),
      );
    } finally {
      setBusy(false);
    }
  }

  return (
    <main className="admin-login">
      <form className="card admin-login-card" onSubmit={submit}>
        <h1>Operator console</h1>
        <p className="field-hint">
          The token stays in this tab's memory only: reloading or closing the tab forgets it.
        </p>
        <div className="field">
          <label htmlFor={id}>Admin token</label>
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
          Open console
        </button>
      </form>
    </main>
  );
}

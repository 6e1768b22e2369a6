import { type FormEvent, useEffect, useId, useRef, useState } from 'react';
import { useT } from '../i18n/useT';
import type { AdminApi } from './api';

export type Moderation = 'warn' | 'suspend' | 'delete';

/** Tomorrow at this time, as a datetime-local value. */
function tomorrow(): string {
  const d = new Date(Date.now() + 24 * 3_600_000);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/**
 * Warn (the operator's words reach the user's sessions), suspend until a date (sessions end,
 * login refused until then) or delete (the account's own deletion path). R-MOD-1, -2, -5.
 */
export function ModerateDialog({
  target,
  kind,
  reportId,
  api,
  onDone,
}: {
  target: { userId: number; name: string } | null;
  kind: Moderation;
  reportId?: number;
  api: AdminApi;
  onDone: (what: string | null) => void;
}) {
  const { t, i18n } = useT();
  const ref = useRef<HTMLDialogElement>(null);
  const [text, setText] = useState('');
  const [until, setUntil] = useState(tomorrow);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const titleId = useId();
  const textId = useId();
  const untilId = useId();

  useEffect(() => {
    const d = ref.current;
    if (!d) return;
    if (target && !d.open) {
      setText('');
      setUntil(tomorrow());
      setError(null);
      d.showModal();
    }
    if (!target && d.open) d.close();
  }, [target]);

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (!target) return;
    setBusy(true);
    try {
      if (kind === 'warn') {
        await api.warn(target.userId, text, reportId);
        onDone(t('admin:moderate.warned', { name: target.name }));
      } else if (kind === 'suspend') {
        const untilMs = new Date(until).getTime();
        await api.suspend(target.userId, untilMs, text, reportId);
        onDone(
          t('admin:moderate.suspended', {
            name: target.name,
            when: new Date(untilMs).toLocaleString(i18n.language),
          }),
        );
      } else {
        await api.deleteAccount(target.userId, text, reportId);
        onDone(t('admin:moderate.deleted', { name: target.name }));
      }
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <dialog
      ref={ref}
      className="dialog"
      aria-labelledby={titleId}
      onCancel={(e) => {
        e.preventDefault();
        onDone(null);
      }}
    >
      <form onSubmit={submit}>
        <h2 id={titleId}>{t(`admin:moderate.title.${kind}`, { name: target?.name ?? '' })}</h2>
        <div className="dialog-body">
          {kind === 'suspend' && (
            <div className="field">
              <label htmlFor={untilId}>{t('admin:moderate.until')}</label>
              <input
                id={untilId}
                type="datetime-local"
                required
                value={until}
                onChange={(e) => setUntil(e.target.value)}
              />
            </div>
          )}
          <div className="field">
            <label htmlFor={textId}>
              {kind === 'warn' ? t('admin:moderate.message') : t('admin:moderate.reason')}
            </label>
            <textarea
              id={textId}
              maxLength={2000}
              required={kind === 'warn'}
              value={text}
              onChange={(e) => setText(e.target.value)}
            />
          </div>
          {kind === 'delete' && <p className="alert alert--error">{t('admin:moderate.deleteWarning')}</p>}
          {error && (
            <p className="alert alert--error" role="alert">
              {error}
            </p>
          )}
        </div>
        <div className="dialog-actions">
          <button type="button" className="button button--secondary" onClick={() => onDone(null)}>
            {t('admin:moderate.cancel')}
          </button>
          <button
            type="submit"
            className={kind === 'warn' ? 'button' : 'button button--danger'}
            disabled={busy}
            aria-busy={busy}
          >
            {kind === 'warn'
              ? t('admin:moderate.sendWarning')
              : kind === 'suspend'
                ? t('admin:moderate.suspend')
                : t('admin:moderate.delete')}
          </button>
        </div>
      </form>
    </dialog>
  );
}

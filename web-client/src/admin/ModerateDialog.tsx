import { type FormEvent, useEffect, useId, useRef, useState } from 'react';
import type { AdminApi } from './api';

export type Moderation = 'warn' | 'suspend' | 'delete';

const TITLE: Record<Moderation, string> = {
  warn: 'Warn',
  suspend: 'Suspend',
  delete: 'Delete account of',
};

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
        onDone(`${target.name} was warned.`);
      } else if (kind === 'suspend') {
        const untilMs = new Date(until).getTime();
        await api.suspend(target.userId, untilMs, text, reportId);
        onDone(`${target.name} is suspended until ${new Date(untilMs).toLocaleString()}.`);
      } else {
        await api.deleteAccount(target.userId, text, reportId);
        onDone(`The account ${target.name} was deleted.`);
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
        <h2 id={titleId}>
          {TITLE[kind]} {target?.name}
        </h2>
        <div className="dialog-body">
          {kind === 'suspend' && (
            <div className="field">
              <label htmlFor={untilId}>Suspended until</label>
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
              {kind === 'warn' ? 'Message to the user' : 'Reason (kept in the moderation log)'}
            </label>
            <textarea
              id={textId}
              maxLength={2000}
              required={kind === 'warn'}
              value={text}
              onChange={(e) => setText(e.target.value)}
            />
          </div>
          {kind === 'delete' && (
            <p className="alert alert--error">
              The account, its friendships and its messages are deleted for good.
            </p>
          )}
          {error && (
            <p className="alert alert--error" role="alert">
              {error}
            </p>
          )}
        </div>
        <div className="dialog-actions">
          <button type="button" className="button button--secondary" onClick={() => onDone(null)}>
            Cancel
          </button>
          <button
            type="submit"
            className={kind === 'warn' ? 'button' : 'button button--danger'}
            disabled={busy}
            aria-busy={busy}
          >
            {kind === 'warn' ? 'Send warning' : kind === 'suspend' ? 'Suspend' : 'Delete account'}
          </button>
        </div>
      </form>
    </dialog>
  );
}

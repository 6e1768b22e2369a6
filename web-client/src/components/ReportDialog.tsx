import { REPORT_CATEGORIES, type ReportCategory } from '@imw/shared';
import { type FormEvent, useEffect, useId, useRef, useState } from 'react';
import { useT } from '../i18n/useT';
import { describeError, type Problem } from '../lib/errors';
import { useClient } from '../sdk-context';
import { ErrorAlert } from './ErrorAlert';

/** Who or what is reported: a user, or one of their messages (its text shared only if the reporter agrees). */
export interface ReportTarget {
  userId: number;
  name: string;
  message?: { messageId: string; text: string };
}

/**
 * Reports a user or a message to the operators (R-RPT-1). The message text goes along only while
 * "Share this message" is ticked: the server never reads a conversation for the operators.
 */
export function ReportDialog({ target, onClose }: { target: ReportTarget | null; onClose: () => void }) {
  const { t } = useT();
  const client = useClient();
  const ref = useRef<HTMLDialogElement>(null);
  const [category, setCategory] = useState<ReportCategory>('spam');
  const [note, setNote] = useState('');
  const [share, setShare] = useState(true);
  const [problem, setProblem] = useState<Problem | null>(null);
  const [sent, setSent] = useState(false);
  const [busy, setBusy] = useState(false);
  const ids = { title: useId(), category: useId(), note: useId() };

  useEffect(() => {
    const d = ref.current;
    if (!d) return;
    if (target && !d.open) {
      setCategory('spam');
      setNote('');
      setShare(true);
      setProblem(null);
      setSent(false);
      d.showModal();
    }
    if (!target && d.open) d.close();
  }, [target]);

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (!target) return;
    setBusy(true);
    try {
      await client.request('reports.create', {
        userId: target.userId,
        category,
        note,
        ...(target.message && share ? { message: target.message } : {}),
      });
      setSent(true);
    } catch (err) {
      setProblem(describeError(err, { NOT_FOUND: 'chat:report.notFound' }));
    } finally {
      setBusy(false);
    }
  }

  return (
    <dialog
      ref={ref}
      className="dialog"
      aria-labelledby={ids.title}
      onCancel={(e) => {
        e.preventDefault();
        onClose();
      }}
    >
      <h2 id={ids.title}>
        {target?.message
          ? t('chat:report.titleMessage', { name: target.name })
          : t('chat:report.titleUser', { name: target?.name ?? '' })}
      </h2>
      {sent ? (
        <>
          <p className="dialog-body">{t('chat:report.thanks')}</p>
          <div className="dialog-actions">
            <button type="button" className="button" onClick={onClose}>
              {t('chat:report.close')}
            </button>
          </div>
        </>
      ) : (
        <form onSubmit={submit}>
          <div className="dialog-body report-form">
            <div className="field">
              <label htmlFor={ids.category}>{t('chat:report.category')}</label>
              <select
                id={ids.category}
                value={category}
                onChange={(e) => setCategory(e.target.value as ReportCategory)}
              >
                {REPORT_CATEGORIES.map((c) => (
                  <option key={c} value={c}>
                    {t(`chat:report.categories.${c}`)}
                  </option>
                ))}
              </select>
            </div>
            <div className="field">
              <label htmlFor={ids.note}>{t('chat:report.note')}</label>
              <textarea
                id={ids.note}
                maxLength={1000}
                value={note}
                onChange={(e) => setNote(e.target.value)}
              />
            </div>
            {target?.message && (
              <>
                <label className="check">
                  <input type="checkbox" checked={share} onChange={(e) => setShare(e.target.checked)} />
                  {t('chat:report.share')}
                </label>
                <blockquote className="report-quote">{target.message.text}</blockquote>
              </>
            )}
            <ErrorAlert problem={problem} />
          </div>
          <div className="dialog-actions">
            <button type="button" className="button button--secondary" onClick={onClose}>
              {t('chat:report.cancel')}
            </button>
            <button type="submit" className="button button--danger" disabled={busy} aria-busy={busy}>
              {t('chat:report.send')}
            </button>
          </div>
        </form>
      )}
    </dialog>
  );
}

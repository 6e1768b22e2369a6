import { REPORT_CATEGORIES, type ReportCategory } from '@imw/shared';
import { type FormEvent, useEffect, useId, useRef, useState } from 'react';
import { describeError, type Problem } from '../lib/errors';
import { useClient } from '../sdk-context';
import { ErrorAlert } from './ErrorAlert';

/** Who or what is reported: a user, or one of their messages (its text shared only if the reporter agrees). */
export interface ReportTarget {
  userId: number;
  name: string;
  message?: { messageId: string; text: string };
}

const CATEGORY_LABEL: Record<ReportCategory, string> = {
  spam: 'Spam or scam',
  harassment: 'Harassment or bullying',
  hate: 'Hate speech',
  sexual: 'Sexual content',
  violence: 'Violence or threats',
  impersonation: 'Pretending to be someone else',
  other: 'Something else',
};

/**
 * Reports a user or a message to the operators (R-RPT-1). The message text goes along only while
 * "Share this message" is ticked: the server never reads a conversation for the operators.
 */
export function ReportDialog({ target, onClose }: { target: ReportTarget | null; onClose: () => void }) {
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
      setProblem(describeError(err, { NOT_FOUND: 'This user can no longer be reported.' }));
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
        {target?.message ? `Report a message from ${target.name}` : `Report ${target?.name ?? ''}`}
      </h2>
      {sent ? (
        <>
          <p className="dialog-body">Thank you. The operators will look at your report.</p>
          <div className="dialog-actions">
            <button type="button" className="button" onClick={onClose}>
              Close
            </button>
          </div>
        </>
      ) : (
        <form onSubmit={submit}>
          <div className="dialog-body report-form">
            <div className="field">
              <label htmlFor={ids.category}>What is wrong?</label>
              <select
                id={ids.category}
                value={category}
                onChange={(e) => setCategory(e.target.value as ReportCategory)}
              >
                {REPORT_CATEGORIES.map((c) => (
                  <option key={c} value={c}>
                    {CATEGORY_LABEL[c]}
                  </option>
                ))}
              </select>
            </div>
            <div className="field">
              <label htmlFor={ids.note}>Details (optional)</label>
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
                  Share this message with the operators
                </label>
                <blockquote className="report-quote">{target.message.text}</blockquote>
              </>
            )}
            <ErrorAlert problem={problem} />
          </div>
          <div className="dialog-actions">
            <button type="button" className="button button--secondary" onClick={onClose}>
              Cancel
            </button>
            <button type="submit" className="button button--danger" disabled={busy} aria-busy={busy}>
              Send report
            </button>
          </div>
        </form>
      )}
    </dialog>
  );
}

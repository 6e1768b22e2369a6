import type { Msg } from '../i18n';
import { useT } from '../i18n/useT';
import type { Problem } from '../lib/errors';

/**
 * A form's error. Rendered only while there is one, so a screen has at most one role="alert"
 * and tests can find it with getByRole('alert').
 */
export function ErrorAlert({ problem }: { problem: Problem | null }) {
  const { t } = useT();
  if (!problem) return null;
  return (
    <div role="alert" className="alert alert--error">
      <p>{t(problem.message.key, problem.message.values)}</p>
    </div>
  );
}

/**
 * A success or info line. The live region stays mounted (empty when idle) because screen readers
 * only announce changes to regions that already exist. Deliberately not role="status": that role
 * belongs to the connection badge alone.
 */
export function LiveNote({ text, tone = 'success' }: { text: Msg | null; tone?: 'success' | 'info' }) {
  const { t } = useT();
  return (
    <p className={text ? `note note--${tone}` : 'note note--empty'} aria-live="polite">
      {text ? t(text.key, text.values) : null}
    </p>
  );
}

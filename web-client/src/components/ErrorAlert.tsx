import type { Problem } from '../lib/errors';

/**
 * A form's error. Rendered only while there is one, so a screen has at most one role="alert"
 * and tests can find it with getByRole('alert').
 */
export function ErrorAlert({ problem }: { problem: Problem | null }) {
  if (!problem) return null;
  return (
    <div role="alert" className="alert alert--error">
      <p>{problem.message}</p>
      {problem.details.length > 0 && (
        <ul>
          {problem.details.map((d) => (
            <li key={d}>{d}</li>
          ))}
        </ul>
      )}
    </div>
  );
}

/**
 * A success or info line. The live region stays mounted (empty when idle) because screen readers
 * only announce changes to regions that already exist. Deliberately not role="status": that role
 * belongs to the connection badge alone.
 */
export function LiveNote({ text, tone = 'success' }: { text: string | null; tone?: 'success' | 'info' }) {
  return (
    <p className={text ? `note note--${tone}` : 'note note--empty'} aria-live="polite">
      {text}
    </p>
  );
}

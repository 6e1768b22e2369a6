import { type FormEvent, useId, useState } from 'react';
import type { Msg } from '../i18n';
import { type ErrorOverrides, type Problem, problem } from '../lib/errors';
import { useSubmit } from '../lib/useSubmit';
import { ErrorAlert, LiveNote } from './ErrorAlert';

interface InlineFormProps {
  label: string;
  buttonLabel: string;
  /** Does the work; returns the success note to show (or null for none). */
  onSubmit: (value: string) => Promise<Msg | null>;
  /** Shown in the alert when the field is submitted empty. */
  emptyMessage: Msg['key'];
  /** A check before asking the server: a problem to show instead, or null. */
  check?: (value: string) => Problem | null;
  maxLength?: number;
  errors?: ErrorOverrides;
  /** Keep the text after success (a search box), instead of clearing it (a create form). */
  keepValue?: boolean;
  allowEmpty?: boolean;
  autoComplete?: string;
}

/** One labelled field and a button on one row: the sidebar's small forms. */
export function InlineForm({
  label,
  buttonLabel,
  onSubmit,
  emptyMessage,
  check,
  maxLength,
  errors,
  keepValue = false,
  allowEmpty = false,
  autoComplete = 'off',
}: InlineFormProps) {
  const [value, setValue] = useState('');
  const [note, setNote] = useState<Msg | null>(null);
  const { pending, error, setError, run } = useSubmit(errors);
  const id = useId();

  function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    if (pending) return;
    const text = value.trim();
    setNote(null);
    if (!text && !allowEmpty) {
      setError(problem(emptyMessage));
      return;
    }
    const invalid = check?.(text) ?? null;
    if (invalid) {
      setError(invalid);
      return;
    }
    void run(async () => {
      const done = await onSubmit(text);
      if (!keepValue) setValue('');
      setNote(done);
    });
  }

  return (
    <form className="inline-form" onSubmit={submit} noValidate>
      <label htmlFor={id} className="small-label">
        {label}
      </label>
      <div className="inline-form-row">
        <input
          id={id}
          value={value}
          onChange={(e) => {
            setValue(e.target.value);
            setNote(null);
          }}
          maxLength={maxLength}
          autoComplete={autoComplete}
          autoCapitalize="none"
          spellCheck={false}
        />
        <button type="submit" className="button button--small" disabled={pending} aria-busy={pending}>
          {buttonLabel}
        </button>
      </div>
      <ErrorAlert problem={error} />
      <LiveNote text={note} />
    </form>
  );
}

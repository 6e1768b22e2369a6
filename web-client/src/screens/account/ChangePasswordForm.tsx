import { type FormEvent, useState } from 'react';
import { ErrorAlert, LiveNote } from '../../components/ErrorAlert';
import { TextField } from '../../components/Field';
import { problem } from '../../lib/errors';
import { useSubmit } from '../../lib/useSubmit';
import { checkNewPassword } from '../../lib/validate';
import { useSession } from '../../session';

export function ChangePasswordForm() {
  const { changePassword } = useSession();
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [confirm, setConfirm] = useState('');
  const [done, setDone] = useState(false);
  const { pending, error, setError, run } = useSubmit({ AUTH_FAILED: 'Current password is wrong' });

  async function onSubmit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    if (pending) return;
    setDone(false);
    const invalid =
      (current ? null : problem('Enter your current password.')) ??
      checkNewPassword(next) ??
      (next === confirm ? null : problem('The new passwords do not match.'));
    if (invalid) return setError(invalid);
    const ok = await run(() => changePassword(current, next));
    if (ok) {
      // Passwords do not linger in the page once they have done their job.
      setCurrent('');
      setNext('');
      setConfirm('');
    }
    setDone(ok);
  }

  return (
    <form className="form" onSubmit={onSubmit} noValidate>
      <TextField
        label="Current password"
        type="password"
        value={current}
        onChange={setCurrent}
        autoComplete="current-password"
        required
      />
      <TextField
        label="New password"
        type="password"
        value={next}
        onChange={setNext}
        autoComplete="new-password"
        required
      />
      <TextField
        label="Confirm password"
        type="password"
        value={confirm}
        onChange={setConfirm}
        autoComplete="new-password"
        required
      />
      <ErrorAlert problem={error} />
      <div className="form-actions">
        <button type="submit" className="button" disabled={pending} aria-busy={pending}>
          Change password
        </button>
        <LiveNote text={done ? 'Password changed' : null} />
      </div>
    </form>
  );
}

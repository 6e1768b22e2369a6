import { type FormEvent, useState } from 'react';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { ErrorAlert } from '../../components/ErrorAlert';
import { TextField } from '../../components/Field';
import { problem } from '../../lib/errors';
import { useSubmit } from '../../lib/useSubmit';
import { useSession } from '../../session';

export function DeleteAccountForm() {
  const { deleteAccount } = useSession();
  const [password, setPassword] = useState('');
  const [confirming, setConfirming] = useState(false);
  const { pending, error, setError, run } = useSubmit({ AUTH_FAILED: 'Wrong password' });

  function onSubmit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    if (pending) return;
    if (!password) return setError(problem('Enter your password to delete your account.'));
    setError(null);
    setConfirming(true);
  }

  function onConfirm() {
    setConfirming(false);
    // On success the session ends and this screen unmounts; on failure the alert explains.
    void run(() => deleteAccount(password));
  }

  return (
    <form className="form" onSubmit={onSubmit} noValidate>
      <p className="form-text">
        This removes your profile, friends and group memberships for good. It cannot be undone.
      </p>
      <TextField
        label="Account password"
        type="password"
        value={password}
        onChange={setPassword}
        autoComplete="current-password"
        required
      />
      <ErrorAlert problem={error} />
      <div className="form-actions">
        <button type="submit" className="button button--danger" disabled={pending} aria-busy={pending}>
          Delete account
        </button>
      </div>
      <ConfirmDialog
        open={confirming}
        title="Delete your account?"
        confirmLabel="Delete forever"
        danger
        onConfirm={onConfirm}
        onCancel={() => setConfirming(false)}
      >
        <p>Everything tied to this account is removed, and the username becomes free for others.</p>
      </ConfirmDialog>
    </form>
  );
}

import { type FormEvent, useState } from 'react';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { ErrorAlert } from '../../components/ErrorAlert';
import { TextField } from '../../components/Field';
import { useT } from '../../i18n/useT';
import { problem } from '../../lib/errors';
import { useSubmit } from '../../lib/useSubmit';
import { useSession } from '../../session';

export function DeleteAccountForm() {
  const { t } = useT();
  const { deleteAccount } = useSession();
  const [password, setPassword] = useState('');
  const [confirming, setConfirming] = useState(false);
  const { pending, error, setError, run } = useSubmit({ AUTH_FAILED: 'account:delete.wrongPassword' });

  function onSubmit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    if (pending) return;
    if (!password) return setError(problem('account:delete.enterPassword'));
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
      <p className="form-text">{t('account:delete.explain')}</p>
      <TextField
        label={t('account:delete.password')}
        type="password"
        value={password}
        onChange={setPassword}
        autoComplete="current-password"
        required
      />
      <ErrorAlert problem={error} />
      <div className="form-actions">
        <button type="submit" className="button button--danger" disabled={pending} aria-busy={pending}>
          {t('account:delete.title')}
        </button>
      </div>
      <ConfirmDialog
        open={confirming}
        title={t('account:delete.confirmTitle')}
        confirmLabel={t('account:delete.confirm')}
        danger
        onConfirm={onConfirm}
        onCancel={() => setConfirming(false)}
      >
        <p>{t('account:delete.confirmBody')}</p>
      </ConfirmDialog>
    </form>
  );
}

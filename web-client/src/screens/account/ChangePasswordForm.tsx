import { type FormEvent, useState } from 'react';
import { ErrorAlert, LiveNote } from '../../components/ErrorAlert';
import { TextField } from '../../components/Field';
import { msg } from '../../i18n';
import { useT } from '../../i18n/useT';
import { problem } from '../../lib/errors';
import { useSubmit } from '../../lib/useSubmit';
import { checkNewPassword } from '../../lib/validate';
import { useSession } from '../../session';

export function ChangePasswordForm() {
  const { t } = useT();
  const { changePassword } = useSession();
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [confirm, setConfirm] = useState('');
  const [done, setDone] = useState(false);
  const { pending, error, setError, run } = useSubmit({ AUTH_FAILED: 'account:password.wrongCurrent' });

  async function onSubmit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    if (pending) return;
    setDone(false);
    const invalid =
      (current ? null : problem('account:password.enterCurrent')) ??
      checkNewPassword(next) ??
      (next === confirm ? null : problem('account:password.mismatch'));
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
        label={t('account:password.current')}
        type="password"
        value={current}
        onChange={setCurrent}
        autoComplete="current-password"
        required
      />
      <TextField
        label={t('account:password.new')}
        type="password"
        value={next}
        onChange={setNext}
        autoComplete="new-password"
        required
      />
      <TextField
        label={t('account:password.confirm')}
        type="password"
        value={confirm}
        onChange={setConfirm}
        autoComplete="new-password"
        required
      />
      <ErrorAlert problem={error} />
      <div className="form-actions">
        <button type="submit" className="button" disabled={pending} aria-busy={pending}>
          {t('account:password.submit')}
        </button>
        <LiveNote text={done ? msg('account:password.done') : null} />
      </div>
    </form>
  );
}

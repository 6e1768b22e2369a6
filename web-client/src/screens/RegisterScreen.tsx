import { type FormEvent, useEffect, useRef, useState } from 'react';
import { AuthCard } from '../components/AuthCard';
import { ErrorAlert } from '../components/ErrorAlert';
import { TextField } from '../components/Field';
import { MAX_DISPLAY_NAME_CHARS, MIN_PASSWORD_CHARS } from '../config';
import { useT } from '../i18n/useT';
import { navigate } from '../lib/route';
import { useSubmit } from '../lib/useSubmit';
import { checkNewPassword, checkUsername, normalizeUsername } from '../lib/validate';
import { useSession } from '../session';

export function RegisterScreen() {
  const { t } = useT();
  const { register, dismissNotice } = useSession();
  const [username, setUsername] = useState('');
  const [displayName, setDisplayName] = useState('');
  const [password, setPassword] = useState('');
  const { pending, error, setError, run } = useSubmit();
  const usernameRef = useRef<HTMLInputElement>(null);

  useEffect(() => {
    usernameRef.current?.focus();
  }, []);

  function onSubmit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    if (pending) return;
    dismissNotice();
    const name = normalizeUsername(username);
    const invalid = checkUsername(name) ?? checkNewPassword(password);
    if (invalid) {
      setError(invalid);
      return;
    }
    void run(async () => {
      await register(name, password, displayName.trim() || undefined);
      // The session now remembers the username and says "Account created"; the login screen shows both.
      navigate('login');
    });
  }

  return (
    <AuthCard title={t('auth:register.title')} subtitle={t('auth:register.subtitle')}>
      <form className="form" onSubmit={onSubmit} noValidate>
        <TextField
          ref={usernameRef}
          label={t('auth:field.username')}
          value={username}
          onChange={setUsername}
          hint={t('auth:register.usernameHint')}
          autoComplete="username"
          autoCapitalize="none"
          autoCorrect="off"
          spellCheck={false}
          required
        />
        <TextField
          label={t('auth:field.displayName')}
          value={displayName}
          onChange={setDisplayName}
          hint={t('auth:register.displayNameHint')}
          maxLength={MAX_DISPLAY_NAME_CHARS}
          autoComplete="nickname"
        />
        <TextField
          label={t('auth:field.password')}
          type="password"
          value={password}
          onChange={setPassword}
          hint={t('auth:register.passwordHint', { count: MIN_PASSWORD_CHARS })}
          autoComplete="new-password"
          required
        />
        <ErrorAlert problem={error} />
        <button type="submit" className="button button--block" disabled={pending} aria-busy={pending}>
          {t('auth:register.submit')}
        </button>
      </form>
      <p className="auth-switch">
        {t('auth:register.haveAccount')} <a href="#/login">{t('auth:register.haveAccountLink')}</a>
      </p>
    </AuthCard>
  );
}

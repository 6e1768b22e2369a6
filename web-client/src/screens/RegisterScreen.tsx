import { type FormEvent, useEffect, useRef, useState } from 'react';
import { AuthCard } from '../components/AuthCard';
import { ErrorAlert } from '../components/ErrorAlert';
import { TextField } from '../components/Field';
import { MAX_DISPLAY_NAME_CHARS, MIN_PASSWORD_CHARS } from '../config';
import { navigate } from '../lib/route';
import { useSubmit } from '../lib/useSubmit';
import { checkNewPassword, checkUsername, normalizeUsername } from '../lib/validate';
import { useSession } from '../session';

export function RegisterScreen() {
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
    <AuthCard title="Create your account" subtitle="Pick a username your friends can find you by.">
      <form className="form" onSubmit={onSubmit} noValidate>
        <TextField
          ref={usernameRef}
          label="Username"
          value={username}
          onChange={setUsername}
          hint="3–32 characters: a–z, 0–9, _ . -"
          autoComplete="username"
          autoCapitalize="none"
          autoCorrect="off"
          spellCheck={false}
          required
        />
        <TextField
          label="Display name"
          value={displayName}
          onChange={setDisplayName}
          hint="Optional. What others see; you can change it later."
          maxLength={MAX_DISPLAY_NAME_CHARS}
          autoComplete="nickname"
        />
        <TextField
          label="Password"
          type="password"
          value={password}
          onChange={setPassword}
          hint={`At least ${MIN_PASSWORD_CHARS} characters.`}
          autoComplete="new-password"
          required
        />
        <ErrorAlert problem={error} />
        <button type="submit" className="button button--block" disabled={pending} aria-busy={pending}>
          Create account
        </button>
      </form>
      <p className="auth-switch">
        Already have an account? <a href="#/login">Log in</a>
      </p>
    </AuthCard>
  );
}

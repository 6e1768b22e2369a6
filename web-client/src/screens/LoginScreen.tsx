import type { LoginMode } from '@imw/shared';
import { type FormEvent, useEffect, useId, useRef, useState } from 'react';
import { AuthCard } from '../components/AuthCard';
import { ErrorAlert, LiveNote } from '../components/ErrorAlert';
import { TextField } from '../components/Field';
import { problem } from '../lib/errors';
import { useSubmit } from '../lib/useSubmit';
import { checkUsername, normalizeUsername } from '../lib/validate';
import { useSession } from '../session';
import { useMapList } from '../world/maps';
import { worldText } from '../world/strings';

export function LoginScreen() {
  const { session, login, dismissNotice } = useSession();
  const remembered = session.status === 'signedOut' ? session.username : '';
  const notice = session.status === 'signedOut' ? session.notice : null;

  const [username, setUsername] = useState(remembered);
  const [password, setPassword] = useState('');
  const [mode, setMode] = useState<LoginMode>('normal');
  const maps = useMapList();
  const [chosenMap, setChosenMap] = useState('');
  // The server's list (R-MAP-9), its first map until the user picks one.
  const sceneId = chosenMap || maps?.[0]?.id || '';
  const [invisible, setInvisible] = useState(false);
  const { pending, error, setError, run } = useSubmit({ NOT_FOUND: 'That map does not exist.' });
  const usernameRef = useRef<HTMLInputElement>(null);
  const passwordRef = useRef<HTMLInputElement>(null);
  const ids = { chat: useId(), world: useId(), map: useId(), invisible: useId() };

  // Start where the user has to type: the password when the username is already known.
  useEffect(() => {
    (remembered ? passwordRef : usernameRef).current?.focus();
  }, [remembered]);

  function onSubmit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    if (pending) return;
    dismissNotice();
    const name = normalizeUsername(username);
    const invalid =
      checkUsername(name) ??
      (password ? null : problem('Enter your password.')) ??
      (mode === 'scene' && !sceneId ? problem(worldText.noMaps) : null);
    if (invalid) {
      setError(invalid);
      return;
    }
    // R-SEC-24: the server refuses an invisible world login; the offer below says why.
    if (mode === 'scene' && invisible) return;
    void run(() =>
      login({ username: name, password, mode, invisible, ...(mode === 'scene' ? { sceneId } : {}) }),
    );
  }

  // A session that ended on its own explains itself in the same alert a failed login uses.
  const shownError = error ?? (notice?.tone === 'error' ? problem(notice.text) : null);

  return (
    <AuthCard title="Welcome back" subtitle="Log in to chat with friends or walk around the world.">
      <form className="form" onSubmit={onSubmit} noValidate>
        <LiveNote tone="info" text={notice?.tone === 'info' ? notice.text : null} />
        <TextField
          ref={usernameRef}
          label="Username"
          value={username}
          onChange={setUsername}
          autoComplete="username"
          autoCapitalize="none"
          autoCorrect="off"
          spellCheck={false}
          required
        />
        <TextField
          ref={passwordRef}
          label="Password"
          type="password"
          value={password}
          onChange={setPassword}
          autoComplete="current-password"
          required
        />
        <fieldset className="segmented">
          <legend>Mode</legend>
          <div className="segmented-options">
            <div className="segmented-option">
              <input
                type="radio"
                id={ids.chat}
                name="mode"
                value="normal"
                checked={mode === 'normal'}
                onChange={() => setMode('normal')}
              />
              <label htmlFor={ids.chat}>Chat</label>
            </div>
            <div className="segmented-option">
              <input
                type="radio"
                id={ids.world}
                name="mode"
                value="scene"
                checked={mode === 'scene'}
                onChange={() => setMode('scene')}
              />
              <label htmlFor={ids.world}>World</label>
            </div>
          </div>
        </fieldset>
        {mode === 'scene' && (
          <div className="field">
            <label htmlFor={ids.map}>Map</label>
            <select
              id={ids.map}
              value={sceneId}
              disabled={maps === null}
              onChange={(e) => setChosenMap(e.target.value)}
            >
              {(maps ?? []).map((s) => (
                <option key={s.id} value={s.id} title={s.description || undefined}>
                  {s.name}
                </option>
              ))}
            </select>
          </div>
        )}
        <div className="check">
          <input
            type="checkbox"
            id={ids.invisible}
            checked={invisible}
            onChange={(e) => setInvisible(e.target.checked)}
          />
          <label htmlFor={ids.invisible}>Log in invisible (friends see you offline)</label>
        </div>
        {mode === 'scene' && invisible && (
          <div className="field">
            <p>Everyone near you in the world sees you, so you cannot be invisible there.</p>
            <button type="button" className="button" onClick={() => setInvisible(false)}>
              Go online
            </button>
          </div>
        )}
        <ErrorAlert problem={shownError} />
        <button
          type="submit"
          className="button button--block"
          disabled={pending || (mode === 'scene' && invisible)}
          aria-busy={pending}
        >
          Log in
        </button>
      </form>
      <p className="auth-switch">
        New here? <a href="#/register">Create an account</a>
      </p>
    </AuthCard>
  );
}

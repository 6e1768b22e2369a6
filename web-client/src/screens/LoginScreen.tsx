import type { LoginMode } from '@imw/shared';
import { type FormEvent, useEffect, useId, useRef, useState } from 'react';
import { AuthCard } from '../components/AuthCard';
import { ErrorAlert, LiveNote } from '../components/ErrorAlert';
import { TextField } from '../components/Field';
import { useT } from '../i18n/useT';
import { problem } from '../lib/errors';
import { useSubmit } from '../lib/useSubmit';
import { checkUsername, normalizeUsername } from '../lib/validate';
import { useSession } from '../session';
import { useMapList } from '../world/maps';

export function LoginScreen() {
  const { t } = useT();
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
  const { pending, error, setError, run } = useSubmit({ NOT_FOUND: 'auth:login.noSuchMap' });
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
      (password ? null : problem('auth:check.passwordEmpty')) ??
      (mode === 'scene' && !sceneId ? problem('world:error.noMaps') : null);
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
  const shownError = error ?? (notice?.tone === 'error' ? { message: notice.text } : null);

  return (
    <AuthCard title={t('auth:login.title')} subtitle={t('auth:login.subtitle')}>
      <form className="form" onSubmit={onSubmit} noValidate>
        <LiveNote tone="info" text={notice?.tone === 'info' ? notice.text : null} />
        <TextField
          ref={usernameRef}
          label={t('auth:field.username')}
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
          label={t('auth:field.password')}
          type="password"
          value={password}
          onChange={setPassword}
          autoComplete="current-password"
          required
        />
        <fieldset className="segmented">
          <legend>{t('auth:login.mode')}</legend>
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
              <label htmlFor={ids.chat}>{t('auth:login.chat')}</label>
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
              <label htmlFor={ids.world}>{t('auth:login.world')}</label>
            </div>
          </div>
        </fieldset>
        {mode === 'scene' && (
          <div className="field">
            <label htmlFor={ids.map}>{t('auth:login.map')}</label>
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
          <label htmlFor={ids.invisible}>{t('auth:login.invisible')}</label>
        </div>
        {mode === 'scene' && invisible && (
          <div className="field">
            <p>{t('auth:login.noInvisibleWorld')}</p>
            <button type="button" className="button" onClick={() => setInvisible(false)}>
              {t('auth:login.goOnline')}
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
          {t('auth:login.submit')}
        </button>
      </form>
      <p className="auth-switch">
        {t('auth:login.newHere')} <a href="#/register">{t('auth:login.newHereLink')}</a>
      </p>
    </AuthCard>
  );
}

import { type FormEvent, useId, useState } from 'react';
import { AvatarPicker } from '../../components/AvatarPicker';
import { ErrorAlert, LiveNote } from '../../components/ErrorAlert';
import { TextField } from '../../components/Field';
import { MAX_BIO_CHARS, MAX_DISPLAY_NAME_CHARS } from '../../config';
import { msg } from '../../i18n';
import { useT } from '../../i18n/useT';
import { type AvatarId, isAvatarId } from '../../lib/avatars';
import { problem } from '../../lib/errors';
import { useSubmit } from '../../lib/useSubmit';
import { useSession, useSignedIn } from '../../session';

export function ProfileForm() {
  const { t, i18n } = useT();
  const { profile } = useSignedIn();
  const { updateProfile } = useSession();
  const [displayName, setDisplayName] = useState(profile.displayName);
  const [avatar, setAvatar] = useState<AvatarId | null>(isAvatarId(profile.avatar) ? profile.avatar : null);
  const [bio, setBio] = useState(profile.bio);
  const [saved, setSaved] = useState(false);
  const { pending, error, setError, run } = useSubmit();
  const bioId = useId();
  const bioCountId = useId();

  /** Any edit makes an earlier "Saved" stale. */
  function edited<T>(set: (value: T) => void) {
    return (value: T) => {
      set(value);
      setSaved(false);
    };
  }

  async function onSubmit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    if (pending) return;
    const name = displayName.trim();
    if (!name) return setError(problem('account:profile.enterName'));
    if (bio.length > MAX_BIO_CHARS)
      return setError(problem('account:profile.bioTooLong', { count: MAX_BIO_CHARS }));
    setSaved(false);
    const ok = await run(async () => {
      const next = await updateProfile({ displayName: name, bio, ...(avatar ? { avatar } : {}) });
      setDisplayName(next.displayName);
      setBio(next.bio);
    });
    setSaved(ok);
  }

  return (
    <form className="form" onSubmit={onSubmit} noValidate>
      <TextField
        label={t('auth:field.displayName')}
        value={displayName}
        onChange={edited(setDisplayName)}
        maxLength={MAX_DISPLAY_NAME_CHARS}
        autoComplete="nickname"
        required
      />
      <AvatarPicker value={avatar} onChange={edited(setAvatar)} />
      <div className="field">
        <label htmlFor={bioId}>{t('account:profile.bio')}</label>
        <textarea
          id={bioId}
          value={bio}
          onChange={(e) => edited(setBio)(e.target.value)}
          maxLength={MAX_BIO_CHARS}
          rows={3}
          aria-describedby={bioCountId}
        />
        <p id={bioCountId} className="field-hint field-hint--count">
          {t('account:profile.bioCount', {
            used: bio.length.toLocaleString(i18n.language),
            max: MAX_BIO_CHARS.toLocaleString(i18n.language),
          })}
        </p>
      </div>
      <ErrorAlert problem={error} />
      <div className="form-actions">
        <button type="submit" className="button" disabled={pending} aria-busy={pending}>
          {t('account:profile.submit')}
        </button>
        <LiveNote text={saved ? msg('account:profile.saved') : null} />
      </div>
    </form>
  );
}

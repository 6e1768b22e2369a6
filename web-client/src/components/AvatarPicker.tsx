import { type CSSProperties, useId } from 'react';
import { useT } from '../i18n/useT';
import { AVATAR_CHOICES, type AvatarId, canShowEmoji } from '../lib/avatars';

/** A radio group of avatars: arrow keys move between them, each has a visible label. */
export function AvatarPicker({
  value,
  onChange,
}: {
  value: AvatarId | null;
  onChange: (value: AvatarId) => void;
}) {
  const { t } = useT();
  const name = useId();
  return (
    <fieldset className="avatar-picker">
      <legend>{t('account:avatar.legend')}</legend>
      <div className="avatar-grid">
        {AVATAR_CHOICES.map((a) => {
          const id = `${name}-${a.id}`;
          return (
            <div key={a.id} className="avatar-choice">
              <input
                type="radio"
                id={id}
                name={name}
                value={a.id}
                checked={value === a.id}
                onChange={() => onChange(a.id)}
              />
              <label htmlFor={id}>
                <span
                  className="avatar-choice-emoji"
                  style={{ '--avatar-bg': a.color } as CSSProperties}
                  aria-hidden="true"
                >
                  {canShowEmoji() ? a.emoji : t(a.label)[0]}
                </span>
                {t(a.label)}
              </label>
            </div>
          );
        })}
      </div>
    </fieldset>
  );
}

import { useId } from 'react';
import { isLanguage, LANGUAGE_NAMES, LANGUAGES } from '../i18n';
import { chooseLanguage } from '../i18n/useLanguageSync';
import { useT } from '../i18n/useT';
import { useClient } from '../sdk-context';

/** The header's language switch (R-I18N-2, R-I18N-3): each language named in itself. */
export function LanguageSwitch() {
  const { t, i18n } = useT();
  const client = useClient();
  const id = useId();
  return (
    <div className="language-switch">
      <label htmlFor={id} className="visually-hidden">
        {t('common:language')}
      </label>
      <select
        id={id}
        value={i18n.language}
        onChange={(e) => {
          const next = e.target.value;
          if (isLanguage(next)) void chooseLanguage(client, next);
        }}
      >
        {LANGUAGES.map((l) => (
          <option key={l} value={l} lang={l}>
            {LANGUAGE_NAMES[l]}
          </option>
        ))}
      </select>
    </div>
  );
}

import i18next from 'i18next';
import { initReactI18next } from 'react-i18next';
import { DEFAULT_LANGUAGE, isLanguage, type Language, languageFromBrowser } from './languages';
import { NAMESPACES, resources } from './resources';

export * from './languages';
export { type Msg, msg } from './msg';

/**
 * The one i18next instance. Both languages are bundled (a few KB each), so switching is instant
 * and never waits on the network. Keys are always written `namespace:key` in code, which is what
 * scripts/check-i18n.mjs reads (docs/ARCHITECTURE.md, web client).
 */
export const i18n = i18next.createInstance();

/** This device's last language (chosen or applied from the account): survives a reload and logout. */
const STORAGE_KEY = 'imw.language';

function storedLanguage(): Language | null {
  try {
    const v = localStorage.getItem(STORAGE_KEY);
    return isLanguage(v) ? v : null;
  } catch {
    return null;
  }
}

export function initialLanguage(): Language {
  return storedLanguage() ?? languageFromBrowser(typeof navigator === 'undefined' ? [] : navigator.languages);
}

void i18n.use(initReactI18next).init({
  resources,
  lng: initialLanguage(),
  fallbackLng: DEFAULT_LANGUAGE,
  ns: NAMESPACES,
  defaultNS: 'common',
  // React escapes what it renders; escaping here too would show &amp; in names.
  interpolation: { escapeValue: false },
  returnNull: false,
  initAsync: false,
});

const syncDocument = (lng: string) => {
  if (typeof document !== 'undefined') document.documentElement.lang = lng;
};
syncDocument(i18n.language);
i18n.on('languageChanged', syncDocument);

export function currentLanguage(): Language {
  return isLanguage(i18n.language) ? i18n.language : DEFAULT_LANGUAGE;
}

/** Switches the interface at once (R-I18N-2) and remembers it on this device. */
export function applyLanguage(lng: Language): void {
  try {
    localStorage.setItem(STORAGE_KEY, lng);
  } catch {
    // Private mode without storage: the choice lasts for this page only.
  }
  if (i18n.language !== lng) void i18n.changeLanguage(lng);
}

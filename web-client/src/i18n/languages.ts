import { LANGUAGES, type Language } from '@imw/shared';

export { LANGUAGES, type Language };

/** Each language named in itself, for the switch (a reader finds their own language by its name). */
export const LANGUAGE_NAMES: Record<Language, string> = { en: 'English', 'zh-CN': '简体中文' };

export const DEFAULT_LANGUAGE: Language = 'en';

export const isLanguage = (v: unknown): v is Language => (LANGUAGES as readonly unknown[]).includes(v);

/**
 * R-I18N-2: the browser's preferred languages mapped to one we ship: any Chinese (zh, zh-CN,
 * zh-Hans, zh-TW, …) reads Simplified Chinese here, since it is the only Chinese we have; any
 * English is English; the first match in the user's order wins; otherwise English.
 */
export function languageFromBrowser(preferred: readonly string[]): Language {
  for (const tag of preferred) {
    const primary = tag.toLowerCase().split('-')[0];
    if (primary === 'zh') return 'zh-CN';
    if (primary === 'en') return 'en';
  }
  return DEFAULT_LANGUAGE;
}

/**
 * R-I18N-5: times in the interface language with Intl. Formatters are cached per language:
 * building one costs far more than formatting with it, and a chat renders many times.
 */
const cache = new Map<string, { time: Intl.DateTimeFormat; dateTime: Intl.DateTimeFormat }>();

/**
 * The Intl locale for an interface language: the browser's own tag when it is the same language
 * (an English reader in Britain keeps 24-hour times), else the interface language itself.
 */
export function intlLocale(lang: string, preferred: readonly string[] = browserLanguages()): string {
  const primary = lang.split('-')[0];
  return preferred.find((p) => p.split('-')[0] === primary) ?? lang;
}

const browserLanguages = (): readonly string[] =>
  typeof navigator === 'undefined' ? [] : navigator.languages;

function formatters(lang: string) {
  let f = cache.get(lang);
  if (!f) {
    const locale = intlLocale(lang);
    f = {
      time: new Intl.DateTimeFormat(locale, { hour: '2-digit', minute: '2-digit' }),
      dateTime: new Intl.DateTimeFormat(locale, {
        day: 'numeric',
        month: 'short',
        hour: '2-digit',
        minute: '2-digit',
      }),
    };
    cache.set(lang, f);
  }
  return f;
}

/** "14:03" today, "3 Mar, 14:03" before (in Chinese "14:03", "3月3日 14:03"). */
export function formatTime(atMs: number, lang: string, nowMs = Date.now()): string {
  const at = new Date(atMs);
  const now = new Date(nowMs);
  const f = formatters(lang);
  return at.toDateString() === now.toDateString() ? f.time.format(at) : f.dateTime.format(at);
}

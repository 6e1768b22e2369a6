import { describe, expect, it } from 'vitest';
import { i18n, languageFromBrowser } from '../web-client/src/i18n';
import { formatTime, intlLocale } from '../web-client/src/lib/time';

describe('web client languages', () => {
  it('R-I18N-2: the browser’s first language we ship wins; any Chinese reads Simplified Chinese', () => {
    expect(languageFromBrowser(['zh-CN', 'en'])).toBe('zh-CN');
    expect(languageFromBrowser(['zh-TW'])).toBe('zh-CN');
    expect(languageFromBrowser(['zh'])).toBe('zh-CN');
    expect(languageFromBrowser(['de-DE', 'en-GB', 'zh-CN'])).toBe('en');
    expect(languageFromBrowser(['fr', 'zh-Hans-CN'])).toBe('zh-CN');
    expect(languageFromBrowser(['fr'])).toBe('en');
    expect(languageFromBrowser([])).toBe('en');
  });

  it('R-I18N-5: plurals follow the language (English one/other, Chinese one form)', () => {
    const t = (key: 'groups:memberCount', count: number, lng: string) => i18n.t(key, { count, lng });
    expect(t('groups:memberCount', 1, 'en')).toBe('1 member');
    expect(t('groups:memberCount', 2, 'en')).toBe('2 members');
    expect(t('groups:memberCount', 1, 'zh-CN')).toBe('1 名成员');
    expect(t('groups:memberCount', 5, 'zh-CN')).toBe('5 名成员');
  });

  it('R-I18N-5: times and dates with Intl in the interface language, the browser’s region when it matches', () => {
    const now = new Date(2026, 11, 5, 15, 0).getTime();
    const today = new Date(2026, 11, 5, 14, 3).getTime();
    const earlier = new Date(2026, 2, 3, 14, 3).getTime();
    expect(formatTime(today, 'zh-CN', now)).toBe('14:03');
    expect(formatTime(earlier, 'zh-CN', now)).toBe('3月3日 14:03');
    expect(formatTime(earlier, 'en', now)).toMatch(/^Mar 3, 0?2:03\s?PM$/);
    expect(intlLocale('en', ['en-GB', 'zh-CN'])).toBe('en-GB');
    expect(intlLocale('zh-CN', ['en-GB', 'zh-TW'])).toBe('zh-TW');
    expect(intlLocale('zh-CN', ['fr'])).toBe('zh-CN');
  });
});

import type { ImClient } from '@imw/shared/sdk';
import { useEffect } from 'react';
import { useClient, useEvent } from '../sdk-context';
import { applyLanguage, currentLanguage, i18n, type Language } from '.';

/**
 * A language picked while logged out waits here until a login can save it to the account;
 * until then the account's stored language must not overwrite the user's fresh choice.
 */
const PENDING_KEY = 'imw.language.pending';

function pendingChoice(): boolean {
  try {
    return localStorage.getItem(PENDING_KEY) === '1';
  } catch {
    return false;
  }
}

function setPending(on: boolean): void {
  try {
    if (on) localStorage.setItem(PENDING_KEY, '1');
    else localStorage.removeItem(PENDING_KEY);
  } catch {
    // No storage: the choice is saved at the next login of this page only if still signed in.
  }
}

/**
 * R-I18N-3: the header switch. Applies at once; saved to the account when logged in (settings
 * follow the user to every device, R-SET-3), or kept for the next login when not.
 */
export async function chooseLanguage(client: ImClient, lng: Language): Promise<void> {
  applyLanguage(lng);
  if (client.state.status !== 'authenticated') {
    setPending(true);
    return;
  }
  setPending(false);
  try {
    await client.settings.set({ language: lng });
  } catch (e) {
    // The page shows the language either way; the next switch or login saves it again.
    setPending(true);
    console.warn('could not save the language to the account', e);
  }
}

/** At login: the account's language wins, unless the user just picked one on the login screen. */
async function syncAtLogin(client: ImClient): Promise<void> {
  if (pendingChoice()) {
    await client.settings.set({ language: currentLanguage() });
    setPending(false);
    return;
  }
  const { language } = await client.settings.get();
  if (language) applyLanguage(language);
}

/**
 * Keeps the interface language in step with the account while logged in: once per login or
 * restore, after the SDK resumed a dropped session, and whenever another device changes it
 * (settings.changed).
 */
export function useLanguageSync(signedIn: boolean): void {
  const client = useClient();
  useEffect(() => {
    if (!signedIn) return;
    syncAtLogin(client).catch((e: unknown) => console.warn('could not read the account language', e));
  }, [client, signedIn]);
  // After a dropped connection the SDK resumes by itself: a change made elsewhere meanwhile was missed.
  useEvent('resumed', () => {
    syncAtLogin(client).catch((e: unknown) => console.warn('could not read the account language', e));
  });
  useEvent('settings.changed', ({ settings }) => {
    if (settings.language && settings.language !== i18n.language) applyLanguage(settings.language);
  });
}

import type { SettingsPatch } from '@imw/shared';
import { useState } from 'react';
import { ErrorAlert } from '../../components/ErrorAlert';
import { useT } from '../../i18n/useT';
import { describeError, type Problem } from '../../lib/errors';
import { usePrefsStore } from '../../state/AppState';
import { notificationPermission, playChime } from '../../state/notify';
import { useStore } from '../../state/store';

type Toggle = 'readReceipts' | 'notifySound' | 'notifyDirect' | 'notifyGroup' | 'notifyNearby' | 'notifyCall';
const DESKTOP: readonly Toggle[] = ['notifyDirect', 'notifyGroup', 'notifyNearby', 'notifyCall'];

/**
 * R-RCP-4 and R-NOT-*: read receipts, the sound and desktop notifications per type. Saved to the
 * account, so they follow the user to every device; the browser's permission is asked the first
 * time a desktop notification is switched on (this device only).
 */
export function NotificationSettings() {
  const { t } = useT();
  const prefs = usePrefsStore();
  const settings = useStore(prefs, (s) => s.settings);
  const loaded = useStore(prefs, (s) => s.loaded);
  const [error, setError] = useState<Problem | null>(null);
  const [permission, setPermission] = useState(notificationPermission);

  const value = (k: Toggle): boolean => (k === 'readReceipts' ? settings[k] !== false : settings[k] === true);

  async function toggle(k: Toggle, on: boolean) {
    setError(null);
    if (on && DESKTOP.includes(k) && permission === 'default') {
      setPermission(await Notification.requestPermission());
    }
    if (on && k === 'notifySound') playChime();
    // Defaults are cleared, not stored: read receipts on, the rest off.
    const patch: SettingsPatch = { [k]: (k === 'readReceipts' ? !on : on) ? on : null };
    try {
      await prefs.set(patch);
    } catch (e) {
      setError(describeError(e));
    }
  }

  const row = (k: Toggle) => (
    <label key={k} className="toggle-row">
      <input
        type="checkbox"
        checked={value(k)}
        disabled={!loaded}
        onChange={(e) => void toggle(k, e.target.checked)}
      />
      <span>{t(`account:notify.${k}`)}</span>
    </label>
  );

  return (
    <>
      <ErrorAlert problem={error} />
      {row('readReceipts')}
      <p className="hint">{t('account:notify.readReceiptsHint')}</p>
      {row('notifySound')}
      <fieldset className="toggle-group">
        <legend>{t('account:notify.desktop')}</legend>
        {DESKTOP.map(row)}
        {permission === 'denied' && <p className="hint">{t('account:notify.denied')}</p>}
        {permission === 'unsupported' && <p className="hint">{t('account:notify.unsupported')}</p>}
      </fieldset>
    </>
  );
}

import type { PresenceStatus } from '@imw/shared';
import { useId, useState } from 'react';
import { useT } from '../i18n/useT';
import { describeError } from '../lib/errors';
import { useSocialStore } from '../state/AppState';
import { useStore } from '../state/store';
import { ErrorAlert } from './ErrorAlert';
import { PresenceDot, STATUS_KEY } from './Presence';

const CHOICES: readonly PresenceStatus[] = ['online', 'away', 'busy', 'invisible'];

/** The user's own status. Invisible looks exactly like offline to everyone else. */
export function StatusSelect() {
  const { t } = useT();
  const social = useSocialStore();
  const status = useStore(social, (s) => s.myStatus);
  const [error, setError] = useState<ReturnType<typeof describeError> | null>(null);
  const id = useId();

  async function onChange(next: PresenceStatus) {
    setError(null);
    try {
      await social.setStatus(next);
    } catch (e) {
      setError(describeError(e));
    }
  }

  return (
    <div className="status-select">
      <label htmlFor={id} className="small-label">
        {t('common:statusLabel')}
      </label>
      <div className="status-select-row">
        <PresenceDot status={status} />
        <select
          id={id}
          value={status}
          onChange={(e) => {
            const next = CHOICES.find((c) => c === e.target.value);
            if (next) void onChange(next);
          }}
        >
          {CHOICES.map((c) => (
            <option key={c} value={c}>
              {t(STATUS_KEY[c])}
            </option>
          ))}
        </select>
      </div>
      <ErrorAlert problem={error} />
    </div>
  );
}

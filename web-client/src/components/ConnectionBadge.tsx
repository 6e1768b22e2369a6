import { useState } from 'react';
import { useT } from '../i18n/useT';
import { type ConnectionLabel, connectionLabel } from '../lib/connection';
import { useClientState, useConnectionStatus, useEvent } from '../sdk-context';

type Shown = ConnectionLabel | 'Redirected…';

const TONE = {
  Connected: 'ok',
  'Connecting…': 'pending',
  'Reconnecting…': 'pending',
  'Redirected…': 'pending',
  Disconnected: 'down',
} as const satisfies Record<Shown, string>;

const KEY = {
  Connected: 'common:connection.connected',
  'Connecting…': 'common:connection.connecting',
  'Reconnecting…': 'common:connection.reconnecting',
  'Redirected…': 'common:connection.redirected',
  Disconnected: 'common:connection.disconnected',
} as const satisfies Record<Shown, string>;

/** The page's only role="status": always visible, its text is the whole state. */
export function ConnectionBadge() {
  const { t } = useT();
  const state = useClientState();
  const base = connectionLabel(state, useConnectionStatus());
  // The SDK follows a redirect to another node by itself; say so until it is logged in there.
  const [redirected, setRedirected] = useState(false);
  useEvent('redirected', () => setRedirected(true));
  useEvent('state', (s) => {
    if (s.status === 'authenticated' || s.status === 'closed') setRedirected(false);
  });
  const label: Shown = redirected && base !== 'Disconnected' ? 'Redirected…' : base;
  return (
    <div role="status" className={`badge badge--${TONE[label]}`}>
      <span className="badge-dot" aria-hidden="true" />
      {t(KEY[label])}
    </div>
  );
}

import { useState } from 'react';
import { connectionLabel } from '../lib/connection';
import { useClientState, useConnectionStatus, useEvent } from '../sdk-context';

const TONE = {
  Connected: 'ok',
  'Connecting…': 'pending',
  'Reconnecting…': 'pending',
  'Redirected…': 'pending',
  Disconnected: 'down',
} as const;

/** The page's only role="status": always visible, its text is the whole state. */
export function ConnectionBadge() {
  const state = useClientState();
  const base = connectionLabel(state, useConnectionStatus());
  // The SDK follows a redirect to another node by itself; say so until it is logged in there.
  const [redirected, setRedirected] = useState(false);
  useEvent('redirected', () => setRedirected(true));
  useEvent('state', (s) => {
    if (s.status === 'authenticated' || s.status === 'closed') setRedirected(false);
  });
  const label = redirected && base !== 'Disconnected' ? 'Redirected…' : base;
  return (
    <div role="status" className={`badge badge--${TONE[label]}`}>
      <span className="badge-dot" aria-hidden="true" />
      {label}
    </div>
  );
}

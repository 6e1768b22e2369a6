import { connectionLabel } from '../lib/connection';
import { useClientState, useConnectionStatus } from '../sdk-context';

const TONE = {
  Connected: 'ok',
  'Connecting…': 'pending',
  'Reconnecting…': 'pending',
  Disconnected: 'down',
} as const;

/** The page's only role="status": always visible, its text is the whole state. */
export function ConnectionBadge() {
  const label = connectionLabel(useClientState(), useConnectionStatus());
  return (
    <div role="status" className={`badge badge--${TONE[label]}`}>
      <span className="badge-dot" aria-hidden="true" />
      {label}
    </div>
  );
}

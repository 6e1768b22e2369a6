import { useEffect } from 'react';
import { startRinging, stopRinging } from '../../rtc/ringtone';
import { useDirect } from '../../state/AppState';
import { useStore } from '../../state/store';
import { IncomingBanner } from './IncomingBanner';

/**
 * A friend's call rings (#19, R-CALL-*): a toast on whatever screen the user is on (chat, another
 * conversation, the world) with Accept and Decline, and a ring tone while it shows.
 */
export function IncomingCall() {
  const direct = useDirect();
  const session = useStore(direct, (s) => (s.session?.ring?.dir === 'in' ? s.session : null));
  const ringing = session !== null;
  useEffect(() => {
    if (!ringing) return;
    startRinging();
    return stopRinging;
  }, [ringing]);
  if (!session) return null;
  return (
    <IncomingBanner
      peerId={session.peerId}
      icon="video"
      keys="ring"
      role="alert"
      onAccept={() => void direct.acceptCall()}
      onDecline={() => direct.declineCall()}
    />
  );
}

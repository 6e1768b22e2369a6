import { useDirect } from '../../state/AppState';
import { useStore } from '../../state/store';
import { IncomingBanner } from './IncomingBanner';

/** A friend offers a direct connection: shown wherever the user is, until answered. */
export function IncomingDirect() {
  const direct = useDirect();
  const session = useStore(direct, (s) => (s.session?.phase === 'incoming' ? s.session : null));
  if (!session) return null;
  return (
    <IncomingBanner
      peerId={session.peerId}
      icon="direct"
      keys="incoming"
      onAccept={() => void direct.accept()}
      onDecline={() => direct.decline()}
    />
  );
}

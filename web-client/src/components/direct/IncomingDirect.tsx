import { openConversation } from '../../lib/route';
import { useDirect, useSocialStore } from '../../state/AppState';
import { friendKey } from '../../state/chat';
import { useStore } from '../../state/store';
import { Icon } from '../Icon';

/** A friend offers a direct connection: shown wherever the user is, until answered. */
export function IncomingDirect() {
  const direct = useDirect();
  const social = useSocialStore();
  const session = useStore(direct, (s) => (s.session?.phase === 'incoming' ? s.session : null));
  const friend = useStore(social, (s) => s.friends.find((f) => f.userId === session?.peerId));
  if (!session) return null;
  const name = friend?.displayName ?? 'A friend';
  return (
    <section className="banner banner--direct" aria-label="Direct connection request">
      <span className="banner-icon" aria-hidden="true">
        <Icon name="direct" size={18} />
      </span>
      <p className="banner-text">
        <strong>{name}</strong> wants a direct peer-to-peer connection (chat and calls that skip the server).
      </p>
      <div className="banner-actions">
        <button
          type="button"
          className="button button--small"
          onClick={() => {
            openConversation(friendKey(session.peerId));
            void direct.accept();
          }}
        >
          Accept direct connection
        </button>
        <button
          type="button"
          className="button button--small button--secondary"
          onClick={() => direct.decline()}
        >
          Decline direct connection
        </button>
      </div>
    </section>
  );
}

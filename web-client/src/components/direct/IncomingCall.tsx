import { useEffect } from 'react';
import { Trans } from 'react-i18next';
import { useT } from '../../i18n/useT';
import { openConversation } from '../../lib/route';
import { startRinging, stopRinging } from '../../rtc/ringtone';
import { useDirect, useSocialStore } from '../../state/AppState';
import { friendKey } from '../../state/chat';
import { useStore } from '../../state/store';
import { Icon } from '../Icon';

/**
 * A friend's call rings (#19, R-CALL-*): a toast on whatever screen the user is on (chat, another
 * conversation, the world) with Accept and Decline, and a ring tone while it shows.
 */
export function IncomingCall() {
  const { t } = useT();
  const direct = useDirect();
  const social = useSocialStore();
  const session = useStore(direct, (s) => (s.session?.ring?.dir === 'in' ? s.session : null));
  const friend = useStore(social, (s) => s.friends.find((f) => f.userId === session?.peerId));
  const ringing = session !== null;
  useEffect(() => {
    if (!ringing) return;
    startRinging();
    return stopRinging;
  }, [ringing]);
  if (!session) return null;
  const name = friend?.displayName ?? t('calls:incoming.someone');
  return (
    <section className="banner banner--direct" role="alert" aria-label={t('calls:ring.label')}>
      <span className="banner-icon" aria-hidden="true">
        <Icon name="video" size={18} />
      </span>
      <p className="banner-text">
        <Trans t={t} i18nKey="calls:ring.text" values={{ name }} components={{ strong: <strong /> }} />
      </p>
      <div className="banner-actions">
        <button
          type="button"
          className="button button--small"
          onClick={() => {
            openConversation(friendKey(session.peerId));
            void direct.acceptCall();
          }}
        >
          {t('calls:ring.accept')}
        </button>
        <button
          type="button"
          className="button button--small button--secondary"
          onClick={() => direct.declineCall()}
        >
          {t('calls:ring.decline')}
        </button>
      </div>
    </section>
  );
}

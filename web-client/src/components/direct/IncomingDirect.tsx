import { Trans } from 'react-i18next';
import { useT } from '../../i18n/useT';
import { openConversation } from '../../lib/route';
import { useDirect, useSocialStore } from '../../state/AppState';
import { friendKey } from '../../state/chat';
import { useStore } from '../../state/store';
import { Icon } from '../Icon';

/** A friend offers a direct connection: shown wherever the user is, until answered. */
export function IncomingDirect() {
  const { t } = useT();
  const direct = useDirect();
  const social = useSocialStore();
  const session = useStore(direct, (s) => (s.session?.phase === 'incoming' ? s.session : null));
  const friend = useStore(social, (s) => s.friends.find((f) => f.userId === session?.peerId));
  if (!session) return null;
  const name = friend?.displayName ?? t('calls:incoming.someone');
  return (
    <section className="banner banner--direct" aria-label={t('calls:incoming.label')}>
      <span className="banner-icon" aria-hidden="true">
        <Icon name="direct" size={18} />
      </span>
      <p className="banner-text">
        <Trans t={t} i18nKey="calls:incoming.text" values={{ name }} components={{ strong: <strong /> }} />
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
          {t('calls:incoming.accept')}
        </button>
        <button
          type="button"
          className="button button--small button--secondary"
          onClick={() => direct.decline()}
        >
          {t('calls:incoming.decline')}
        </button>
      </div>
    </section>
  );
}

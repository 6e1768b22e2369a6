import { Trans } from 'react-i18next';
import { useT } from '../../i18n/useT';
import { openConversation } from '../../lib/route';
import { useSocialStore } from '../../state/AppState';
import { friendKey } from '../../state/chat';
import { useStore } from '../../state/store';
import { Icon, type IconName } from '../Icon';

/** One kind of offer's strings, named in full so the translation check sees every key used. */
const KEYS = {
  incoming: {
    label: 'calls:incoming.label',
    text: 'calls:incoming.text',
    accept: 'calls:incoming.accept',
    decline: 'calls:incoming.decline',
  },
  ring: {
    label: 'calls:ring.label',
    text: 'calls:ring.text',
    accept: 'calls:ring.accept',
    decline: 'calls:ring.decline',
  },
} as const;

interface Props {
  peerId: number;
  icon: IconName;
  keys: keyof typeof KEYS;
  role?: 'alert';
  onAccept(): void;
  onDecline(): void;
}

/** A friend's offer (a direct connection, a call) shown on any screen until answered; Accept opens the conversation. */
export function IncomingBanner({ peerId, icon, keys, role, onAccept, onDecline }: Props) {
  const { t } = useT();
  const social = useSocialStore();
  const friend = useStore(social, (s) => s.friends.find((f) => f.userId === peerId));
  const k = KEYS[keys];
  const name = friend?.displayName ?? t('calls:incoming.someone');
  return (
    <section className="banner banner--direct" role={role} aria-label={t(k.label)}>
      <span className="banner-icon" aria-hidden="true">
        <Icon name={icon} size={18} />
      </span>
      <p className="banner-text">
        <Trans t={t} i18nKey={k.text} values={{ name }} components={{ strong: <strong /> }} />
      </p>
      <div className="banner-actions">
        <button
          type="button"
          className="button button--small"
          onClick={() => {
            openConversation(friendKey(peerId));
            onAccept();
          }}
        >
          {t(k.accept)}
        </button>
        <button type="button" className="button button--small button--secondary" onClick={onDecline}>
          {t(k.decline)}
        </button>
      </div>
    </section>
  );
}

import { useOpenConversation } from '../components/chat/ConversationPane';
import { Icon } from '../components/Icon';
import { useT } from '../i18n/useT';
import { useSignedIn } from '../session';

function Welcome() {
  const { t } = useT();
  const { profile } = useSignedIn();
  return (
    <div className="page page--center">
      <div className="placeholder">
        <span className="placeholder-icon">
          <Icon name="chat" size={34} />
        </span>
        <h1>{t('chat:welcome.title', { name: profile.displayName })}</h1>
        <p>{t('chat:welcome.body')}</p>
      </div>
    </div>
  );
}

/** Chat mode's main area: the open conversation, or a welcome. */
export function ChatScreen() {
  return useOpenConversation() ?? <Welcome />;
}

import { useOpenConversation } from '../components/chat/ConversationPane';
import { Icon } from '../components/Icon';
import { useSignedIn } from '../session';

function Welcome() {
  const { profile } = useSignedIn();
  return (
    <div className="page page--center">
      <div className="placeholder">
        <span className="placeholder-icon">
          <Icon name="chat" size={34} />
        </span>
        <h1>Welcome, {profile.displayName}</h1>
        <p>Pick a friend or a group to start a conversation.</p>
      </div>
    </div>
  );
}

/** Chat mode's main area: the open conversation, or a welcome. */
export function ChatScreen() {
  return useOpenConversation() ?? <Welcome />;
}

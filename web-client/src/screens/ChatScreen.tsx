import { Icon } from '../components/Icon';
import { useSignedIn } from '../session';

/** Chat mode's main area. A placeholder until conversations arrive with the messaging packets. */
export function ChatScreen() {
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

import { useState } from 'react';
import { useT } from '../i18n/useT';
import { navigate, useRoute } from '../lib/route';
import { useSession, useSignedIn } from '../session';
import { Avatar } from './Avatar';
import { Icon } from './Icon';

/** Top-right: the button that opens the profile (named by the display name) and Log out. */
export function UserControls() {
  const { t } = useT();
  const { profile } = useSignedIn();
  const { logout } = useSession();
  const route = useRoute();
  const [leaving, setLeaving] = useState(false);

  async function onLogout() {
    setLeaving(true);
    try {
      await logout();
    } finally {
      setLeaving(false);
    }
  }

  return (
    <>
      <button
        type="button"
        className="user-button"
        aria-current={route === 'account' ? 'page' : undefined}
        title={t('common:profileButton')}
        onClick={() => navigate('account')}
      >
        <Avatar avatar={profile.avatar} name={profile.displayName} size="sm" />
        <span className="user-button-name">{profile.displayName}</span>
      </button>
      <button
        type="button"
        className="button button--secondary logout-button"
        onClick={onLogout}
        disabled={leaving}
      >
        <span className="logout-icon">
          <Icon name="logout" size={18} />
        </span>
        {/* Hidden visually on phones, never from screen readers: the name stays "Log out". */}
        <span className="logout-text">{t('common:logout')}</span>
      </button>
    </>
  );
}

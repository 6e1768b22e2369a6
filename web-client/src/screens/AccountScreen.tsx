import { type ReactNode, useId } from 'react';
import { useT } from '../i18n/useT';
import { navigate } from '../lib/route';
import { BlockedList } from './account/BlockedList';
import { ChangePasswordForm } from './account/ChangePasswordForm';
import { DeleteAccountForm } from './account/DeleteAccountForm';
import { NotificationSettings } from './account/NotificationSettings';
import { ProfileForm } from './account/ProfileForm';
import { SessionsList } from './account/SessionsList';

function Section({
  title,
  danger = false,
  children,
}: {
  title: string;
  danger?: boolean;
  children: ReactNode;
}) {
  const id = useId();
  return (
    <section className={danger ? 'card card--danger' : 'card'} aria-labelledby={id}>
      <h2 id={id}>{title}</h2>
      {children}
    </section>
  );
}

/** The profile panel: profile, sessions, password, and account deletion. */
export function AccountScreen() {
  const { t } = useT();
  return (
    <div className="page">
      <div className="page-header">
        <h1>{t('account:title')}</h1>
        <button type="button" className="button button--secondary" onClick={() => navigate('home')}>
          {t('common:back')}
        </button>
      </div>
      <Section title={t('account:profile.title')}>
        <ProfileForm />
      </Section>
      <Section title={t('account:notify.title')}>
        <NotificationSettings />
      </Section>
      <Section title={t('account:sessions.title')}>
        <SessionsList />
      </Section>
      <Section title={t('account:blocked.title')}>
        <BlockedList />
      </Section>
      <Section title={t('account:password.title')}>
        <ChangePasswordForm />
      </Section>
      <Section title={t('account:delete.title')} danger>
        <DeleteAccountForm />
      </Section>
    </div>
  );
}

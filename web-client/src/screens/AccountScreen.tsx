import { type ReactNode, useId } from 'react';
import { navigate } from '../lib/route';
import { BlockedList } from './account/BlockedList';
import { ChangePasswordForm } from './account/ChangePasswordForm';
import { DeleteAccountForm } from './account/DeleteAccountForm';
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
  return (
    <div className="page">
      <div className="page-header">
        <h1>Profile and account</h1>
        <button type="button" className="button button--secondary" onClick={() => navigate('home')}>
          Back
        </button>
      </div>
      <Section title="Profile">
        <ProfileForm />
      </Section>
      <Section title="Sessions">
        <SessionsList />
      </Section>
      <Section title="Blocked users">
        <BlockedList />
      </Section>
      <Section title="Change password">
        <ChangePasswordForm />
      </Section>
      <Section title="Delete account" danger>
        <DeleteAccountForm />
      </Section>
    </div>
  );
}

import { AuthCard } from '../components/AuthCard';
import { useT } from '../i18n/useT';

/** Shown for the moment a reload takes to resume the saved session (no login form flashing by). */
export function RestoringScreen() {
  const { t } = useT();
  return (
    <AuthCard title={t('auth:login.title')} subtitle={t('auth:restoring')}>
      <div className="spinner" aria-hidden="true" />
    </AuthCard>
  );
}

import { AuthCard } from '../components/AuthCard';

/** Shown for the moment a reload takes to resume the saved session (no login form flashing by). */
export function RestoringScreen() {
  return (
    <AuthCard title="Welcome back" subtitle="Restoring your session…">
      <div className="spinner" aria-hidden="true" />
    </AuthCard>
  );
}

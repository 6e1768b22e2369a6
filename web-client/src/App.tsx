import { lazy, Suspense, useEffect } from 'react';
import { TopBar } from './components/TopBar';
import { useLanguageSync } from './i18n/useLanguageSync';
import { navigate, useRoute } from './lib/route';
import { LoginScreen } from './screens/LoginScreen';
import { RegisterScreen } from './screens/RegisterScreen';
import { RestoringScreen } from './screens/RestoringScreen';
import { useSession } from './session';

// The logged-in app (chat, world, direct connections) loads while the user types the password,
// so the login screen paints from a smaller bundle.
const loadShell = () => import('./screens/ShellScreen').then((m) => ({ default: m.ShellScreen }));
const ShellScreen = lazy(loadShell);

export function App() {
  const { session } = useSession();
  const route = useRoute();
  const signedIn = session.status === 'signedIn';
  useLanguageSync(signedIn);

  // Keep the address truthful: no login form address while logged in, no account page while out.
  useEffect(() => {
    if (signedIn && (route === 'login' || route === 'register')) navigate('home', { replace: true });
    if (session.status === 'signedOut' && route === 'account') navigate('login', { replace: true });
  }, [signedIn, session.status, route]);

  // Start fetching the shell at once; it is usually there before the login finishes.
  useEffect(() => {
    void loadShell();
  }, []);

  if (signedIn) {
    return (
      <Suspense
        fallback={
          <div className="shell">
            <TopBar />
            <RestoringScreen />
          </div>
        }
      >
        <ShellScreen />
      </Suspense>
    );
  }
  return (
    <div className="shell">
      <TopBar />
      {session.status === 'restoring' ? (
        <RestoringScreen />
      ) : route === 'register' ? (
        <RegisterScreen />
      ) : (
        <LoginScreen />
      )}
    </div>
  );
}

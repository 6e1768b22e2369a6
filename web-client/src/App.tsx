import { useEffect } from 'react';
import { TopBar } from './components/TopBar';
import { navigate, useRoute } from './lib/route';
import { LoginScreen } from './screens/LoginScreen';
import { RegisterScreen } from './screens/RegisterScreen';
import { RestoringScreen } from './screens/RestoringScreen';
import { ShellScreen } from './screens/ShellScreen';
import { useSession } from './session';

export function App() {
  const { session } = useSession();
  const route = useRoute();
  const signedIn = session.status === 'signedIn';

  // Keep the address truthful: no login form address while logged in, no account page while out.
  useEffect(() => {
    if (signedIn && (route === 'login' || route === 'register')) navigate('home', { replace: true });
    if (session.status === 'signedOut' && route === 'account') navigate('login', { replace: true });
  }, [signedIn, session.status, route]);

  if (signedIn) return <ShellScreen />;
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

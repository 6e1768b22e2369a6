import { useEffect, useId, useState } from 'react';
import { Icon } from '../components/Icon';
import { Sidebar } from '../components/Sidebar';
import { TopBar } from '../components/TopBar';
import { UserControls } from '../components/UserControls';
import { type Route, useRoute } from '../lib/route';
import { useSignedIn } from '../session';
import { AccountScreen } from './AccountScreen';
import { ChatScreen } from './ChatScreen';
import { WorldScreen } from './WorldScreen';

/** The logged-in app: top bar, sidebar (a drawer on phones) and the main area. */
export function ShellScreen() {
  const { mode } = useSignedIn();
  const route = useRoute();
  const sidebarId = useId();
  // The drawer belongs to the route it was opened on, so navigating closes it, as in any phone app.
  const [drawerRoute, setDrawerRoute] = useState<Route | null>(null);
  const drawerOpen = drawerRoute === route;
  const setDrawerOpen = (open: boolean) => setDrawerRoute(open ? route : null);

  useEffect(() => {
    if (!drawerOpen) return;
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') setDrawerRoute(null);
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, [drawerOpen]);

  const menuButton = (
    <button
      type="button"
      className="icon-button menu-button"
      aria-expanded={drawerOpen}
      aria-controls={sidebarId}
      onClick={() => setDrawerOpen(!drawerOpen)}
    >
      <Icon name="menu" size={22} />
      <span className="visually-hidden">Menu</span>
    </button>
  );

  return (
    <div className="shell">
      <TopBar start={menuButton} end={<UserControls />} />
      <div className="shell-body">
        <Sidebar id={sidebarId} open={drawerOpen} />
        {drawerOpen && (
          <button
            type="button"
            className="drawer-backdrop"
            aria-label="Close menu"
            tabIndex={-1}
            onClick={() => setDrawerOpen(false)}
          />
        )}
        <main className="main">
          {route === 'account' ? <AccountScreen /> : mode === 'scene' ? <WorldScreen /> : <ChatScreen />}
        </main>
      </div>
    </div>
  );
}

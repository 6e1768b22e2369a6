import { useEffect, useId, useRef, useState } from 'react';
import { Attention, MenuButton } from '../components/Attention';
import { IncomingCall } from '../components/direct/IncomingCall';
import { IncomingDirect } from '../components/direct/IncomingDirect';
import { Notices } from '../components/Notices';
import { Sidebar } from '../components/Sidebar';
import { TopBar } from '../components/TopBar';
import { UserControls } from '../components/UserControls';
import { useT } from '../i18n/useT';
import { useHash, useRoute } from '../lib/route';
import { useSignedIn } from '../session';
import { AppStateProvider } from '../state/AppState';
import { AccountScreen } from './AccountScreen';
import { ChatScreen } from './ChatScreen';
import { WorldScreen } from './WorldScreen';

/** The logged-in app: top bar, sidebar (a drawer on phones) and the main area. */
export function ShellScreen() {
  const { t } = useT();
  const { mode } = useSignedIn();
  const route = useRoute();
  const hash = useHash();
  const sidebarId = useId();
  // The drawer belongs to the address it was opened on, so navigating (opening a conversation)
  // closes it, as in any phone app.
  const [drawerHash, setDrawerHash] = useState<string | null>(null);
  const drawerOpen = drawerHash === hash;
  const setDrawerOpen = (open: boolean) => setDrawerHash(open ? hash : null);
  const shellRef = useRef<HTMLDivElement>(null);
  const mainRef = useRef<HTMLElement>(null);

  // After login focus would fall to <body>: it moves to the app's first field instead.
  useEffect(() => {
    if (document.activeElement && document.activeElement !== document.body) return;
    shellRef.current?.querySelector<HTMLElement>('input, textarea')?.focus();
  }, []);

  /** The skip link: to the message box of the open conversation, else to the main area. */
  const skipToConversation = () => {
    const box = mainRef.current?.querySelector<HTMLElement>('.composer textarea, textarea, input');
    (box ?? mainRef.current)?.focus();
  };

  useEffect(() => {
    if (!drawerOpen) return;
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') setDrawerHash(null);
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, [drawerOpen]);

  const menuButton = (
    <MenuButton open={drawerOpen} controls={sidebarId} onToggle={() => setDrawerOpen(!drawerOpen)} />
  );

  return (
    <AppStateProvider>
      <Attention />
      <div className="shell" ref={shellRef}>
        <button type="button" className="skip-link" onClick={skipToConversation}>
          {t('common:skipLink')}
        </button>
        <TopBar start={menuButton} end={<UserControls />} />
        <div className="shell-body">
          <Sidebar id={sidebarId} open={drawerOpen} />
          {drawerOpen && (
            <button
              type="button"
              className="drawer-backdrop"
              aria-label={t('common:closeMenu')}
              tabIndex={-1}
              onClick={() => setDrawerOpen(false)}
            />
          )}
          <main className="main" ref={mainRef} tabIndex={-1}>
            <div className="main-stack">
              <Notices />
              <IncomingDirect />
              <IncomingCall />
            </div>
            <div className="main-screen">
              {route === 'account' ? <AccountScreen /> : mode === 'scene' ? <WorldScreen /> : <ChatScreen />}
            </div>
          </main>
        </div>
      </div>
    </AppStateProvider>
  );
}

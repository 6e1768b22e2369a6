// R-SEC-14: first, before any protocol schema exists: the page's CSP has no 'unsafe-eval'.
import '@imw/shared/no-eval';
import { ImClient } from '@imw/shared/sdk';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
// The i18next instance, ready (both languages bundled) before the first render.
import './i18n';
import { webSocketUrl } from './config';
import { Connection } from './lib/connection';
import { ClientProvider } from './sdk-context';
import { SessionProvider } from './session';
import './styles.css';

// One client and one connection per page, made before React renders (see sdk-context.tsx).
// The chat store starts each message catch-up itself once it listens (state/chat.ts): an automatic
// one at login would emit before the logged-in screen, and its store, exist.
const client = new ImClient({ url: webSocketUrl(), chat: { autoSync: false } });
const connection = new Connection(client);
connection.start();

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root element');

createRoot(root).render(
  <StrictMode>
    <ClientProvider client={client} connection={connection}>
      <SessionProvider>
        <App />
      </SessionProvider>
    </ClientProvider>
  </StrictMode>,
);

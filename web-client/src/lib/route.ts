import { useSyncExternalStore } from 'react';

/**
 * Hash routes: the server serves one index.html, so the path must not change, and a hash lets
 * tests and bookmarks open a screen directly (`/#/register`).
 */
export type Route = 'home' | 'login' | 'register' | 'account';

const HASHES: Record<Route, string> = {
  home: '#/',
  login: '#/login',
  register: '#/register',
  account: '#/account',
};

export function parseRoute(hash: string): Route {
  for (const [route, h] of Object.entries(HASHES) as [Route, string][]) {
    if (h === hash) return route;
  }
  return 'home';
}

const listeners = new Set<() => void>();

function subscribe(fn: () => void): () => void {
  listeners.add(fn);
  window.addEventListener('hashchange', fn);
  return () => {
    listeners.delete(fn);
    window.removeEventListener('hashchange', fn);
  };
}

const getRoute = (): Route => parseRoute(window.location.hash);

/** Goes to a route; `replace` keeps redirects (e.g. login → home) out of the back button's way. */
export function navigate(route: Route, { replace = false } = {}): void {
  const hash = HASHES[route];
  if (window.location.hash === hash) return;
  if (replace) {
    // replaceState fires no hashchange, so tell the subscribers ourselves.
    window.history.replaceState(null, '', hash);
    for (const fn of [...listeners]) fn();
  } else {
    window.location.hash = hash;
  }
}

export function useRoute(): Route {
  return useSyncExternalStore(subscribe, getRoute);
}

/** The raw hash, for state that belongs to one address (a drawer opened on it closes on navigation). */
export function useHash(): string {
  return useSyncExternalStore(subscribe, () => window.location.hash);
}

/**
 * Conversations live under the home route (`#/chat/f:12` for a friend, `#/chat/g:3` for a group),
 * so a test or a bookmark can open one directly and the back button leaves it.
 */
const CHAT_PREFIX = '#/chat/';

export function conversationHash(key: string): string {
  return `${CHAT_PREFIX}${key}`;
}

export function useConversationHash(): string | null {
  const hash = useHash();
  return hash.startsWith(CHAT_PREFIX) ? decodeURIComponent(hash.slice(CHAT_PREFIX.length)) : null;
}

export function openConversation(key: string): void {
  window.location.hash = conversationHash(key);
}

import { createContext, type ReactNode, use, useEffect, useRef, useState } from 'react';
import { DirectManager } from '../rtc/direct';
import { isRinging } from '../rtc/ringtone';
import { useClient } from '../sdk-context';
import { useSignedIn } from '../session';
import { BlockStore } from './blocks';
import { ChatStore } from './chat';
import { NoticeStore } from './notices';
import { PrefsStore } from './prefs';
import { ReceiptStore } from './receipts';
import { SocialStore } from './social';

/** The logged-in user's live state: one set of stores per login, made when the shell mounts. */
interface AppStores {
  readonly social: SocialStore;
  readonly chat: ChatStore;
  readonly notices: NoticeStore;
  readonly direct: DirectManager;
  readonly blocks: BlockStore;
  readonly receipts: ReceiptStore;
  readonly prefs: PrefsStore;
}

const AppStateContext = createContext<AppStores | null>(null);

declare global {
  interface Window {
    /** For end-to-end tests: the live direct connection, if any. */
    __imwRtc?: { pc(): RTCPeerConnection | null; ringing(): boolean };
  }
}

export function AppStateProvider({ children }: { children: ReactNode }) {
  const client = useClient();
  const { profile } = useSignedIn();
  // The chat store reads the display name when it sends, so a renamed user signs new messages.
  const nameRef = useRef(profile.displayName);
  nameRef.current = profile.displayName;
  const [stores] = useState<AppStores>(() => {
    const chat = new ChatStore(client, { userId: profile.userId, displayName: () => nameRef.current });
    const social = new SocialStore(client);
    const direct = new DirectManager(client, profile.userId, {
      onMessage: (peerId, p, own) => chat.addDirect(peerId, { ...p, own }),
      ownStatus: () => social.getSnapshot().myStatus,
    });
    return {
      social,
      chat,
      notices: new NoticeStore(client),
      direct,
      blocks: new BlockStore(client),
      receipts: new ReceiptStore(client),
      prefs: new PrefsStore(client),
    };
  });

  useEffect(() => {
    const { social, chat, notices, direct, blocks, receipts, prefs } = stores;
    blocks.start();
    receipts.start();
    prefs.start();
    social.start();
    chat.start();
    notices.start();
    direct.start();
    window.__imwRtc = { pc: () => direct.peerConnection(), ringing: isRinging };
    // An open conversation counts as read only while the page is seen (a background tab keeps its badge).
    const onVisibility = () => chat.setVisible(!document.hidden);
    onVisibility();
    document.addEventListener('visibilitychange', onVisibility);
    return () => {
      document.removeEventListener('visibilitychange', onVisibility);
      blocks.stop();
      receipts.stop();
      prefs.stop();
      social.stop();
      chat.stop();
      notices.stop();
      direct.stop();
      delete window.__imwRtc;
    };
  }, [stores]);

  return <AppStateContext value={stores}>{children}</AppStateContext>;
}

function useStores(): AppStores {
  const ctx = use(AppStateContext);
  if (!ctx) throw new Error('app state used outside <AppStateProvider>');
  return ctx;
}

export const useSocialStore = () => useStores().social;
export const useChatStore = () => useStores().chat;
export const useNoticeStore = () => useStores().notices;
export const useDirect = () => useStores().direct;
export const useBlockStore = () => useStores().blocks;
export const useReceiptStore = () => useStores().receipts;
export const usePrefsStore = () => useStores().prefs;

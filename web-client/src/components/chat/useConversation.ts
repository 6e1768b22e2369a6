import { useCallback, useEffect } from 'react';
import { useClient } from '../../sdk-context';
import { useSignedIn } from '../../session';
import { useChatStore, useReceiptStore } from '../../state/AppState';
import type { ChatMessage, Conversation, ConversationKey } from '../../state/chat';
import { convOf } from '../../state/keys';
import type { Seen } from '../../state/receipts';
import { useStore } from '../../state/store';

const NONE: readonly ChatMessage[] = [];

/** An open conversation: marks it on screen (newest page, read), and its scroll-up and Retry actions. */
export function useConversation(key: ConversationKey) {
  const chat = useChatStore();
  const messages = useStore(chat, (s) => s.conversations.get(key)?.messages) ?? NONE;
  const older = useStore(chat, (s): Conversation['older'] => s.conversations.get(key)?.older ?? 'idle');

  const client = useClient();
  const receipts = useReceiptStore();
  const { profile } = useSignedIn();
  const conv = convOf(profile.userId, key);
  const seen = useStore(receipts, (s) => receipts.of(s, conv));
  const typers = useStore(receipts, (s) => receipts.typersOf(s, conv));

  useEffect(() => {
    chat.setActive(key);
    void receipts.load(conv);
    return () => {
      chat.setActive(null);
      client.receipts.stopTyping(conv);
    };
  }, [chat, key, receipts, conv, client]);

  const loadOlder = useCallback(() => void chat.loadOlder(key), [chat, key]);
  const retry = useCallback((m: ChatMessage) => void chat.retry(key, m.id), [chat, key]);
  return {
    messages,
    older,
    loadOlder,
    retry,
    seen,
    typers,
    /** R-TYP-1: on every input in the composer (the SDK refreshes and stops by itself). */
    typed: () => client.receipts.input(conv),
    send: (text: string) => {
      client.receipts.stopTyping(conv);
      void chat.send(key, text);
    },
  };
}

/** R-RCP-1/2: an own stored message's tick in a direct conversation. */
export function tickOf(m: ChatMessage, seen: ReadonlyMap<number, Seen>): 'delivered' | 'read' | undefined {
  if (!m.own || m.seq === null) return undefined;
  let best: 'delivered' | 'read' | undefined;
  for (const r of seen.values()) {
    if (r.read >= m.seq) return 'read';
    if (r.delivered >= m.seq) best = 'delivered';
  }
  return best;
}

/** R-RCP-5: who of the others read an own group message. */
export function readersOf(m: ChatMessage, seen: ReadonlyMap<number, Seen>): number[] {
  if (!m.own || m.seq === null) return [];
  const seq = m.seq;
  return [...seen].filter(([, r]) => r.read >= seq).map(([id]) => id);
}

import { useCallback, useEffect } from 'react';
import { useChatStore } from '../../state/AppState';
import type { ChatMessage, Conversation, ConversationKey } from '../../state/chat';
import { useStore } from '../../state/store';

const NONE: readonly ChatMessage[] = [];

/** An open conversation: marks it on screen (newest page, read), and its scroll-up and Retry actions. */
export function useConversation(key: ConversationKey) {
  const chat = useChatStore();
  const messages = useStore(chat, (s) => s.conversations.get(key)?.messages) ?? NONE;
  const older = useStore(chat, (s): Conversation['older'] => s.conversations.get(key)?.older ?? 'idle');

  useEffect(() => {
    chat.setActive(key);
    return () => chat.setActive(null);
  }, [chat, key]);

  const loadOlder = useCallback(() => void chat.loadOlder(key), [chat, key]);
  const retry = useCallback((m: ChatMessage) => void chat.retry(key, m.id), [chat, key]);
  return { messages, older, loadOlder, retry, send: (text: string) => void chat.send(key, text) };
}

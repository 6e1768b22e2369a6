import { useLayoutEffect, useRef } from 'react';
import { useT } from '../../i18n/useT';
import type { ChatMessage, OlderState } from '../../state/chat';
import type { ReportTarget } from '../ReportDialog';
import { MessageItem } from './MessageItem';

/** What the report dialog needs of a stored message: its author, its server id and its text. */
export function reportedMessage(m: ChatMessage, name: string): ReportTarget {
  // A stored message's key is `m<messageId>` (state/messages.ts).
  const messageId = m.id.startsWith('m') ? m.id.slice(1) : m.id;
  return { userId: m.from ?? 0, name, message: { messageId, text: m.text } };
}

/** Within this distance of the bottom the list follows new messages; further up, the reader stays put. */
const STICKY_BOTTOM_PX = 80;
/** Within this distance of the top the next older page is fetched. */
const NEAR_TOP_PX = 120;

export function MessageList({
  messages,
  label,
  nameOf,
  emptyText,
  older = 'none',
  onLoadOlder,
  onRetry,
  onReport,
  tickOf,
  readersOf,
  typing,
}: {
  messages: readonly ChatMessage[];
  label: string;
  nameOf: (m: ChatMessage) => string;
  emptyText: string;
  older?: OlderState;
  onLoadOlder?: () => void;
  onRetry: (m: ChatMessage) => void;
  onReport?: (m: ChatMessage) => void;
  /** Direct conversations: delivered or read (R-RCP-1/2). */
  tickOf?: (m: ChatMessage) => 'delivered' | 'read' | undefined;
  /** Groups: the names of those who read an own message (R-RCP-5). */
  readersOf?: (m: ChatMessage) => string[];
  /** Who is typing now (R-TYP-*): shown below the messages. */
  typing?: readonly string[];
}) {
  const { t } = useT();
  const ref = useRef<HTMLOListElement>(null);
  const stick = useRef(true);
  /** The first message and the content height at the last render: tells a prepend from an append. */
  const last = useRef<{ first: string | undefined; height: number }>({ first: undefined, height: 0 });

  useLayoutEffect(() => {
    const el = ref.current;
    if (!el) return;
    const first = messages[0]?.id;
    const prev = last.current;
    if (stick.current) {
      // Follow new messages while the reader is at the bottom.
      el.scrollTop = el.scrollHeight;
    } else if (prev.first !== undefined && first !== prev.first) {
      // An older page went in above: keep the messages the reader is looking at where they were.
      el.scrollTop += el.scrollHeight - prev.height;
    }
    last.current = { first, height: el.scrollHeight };
    // A list too short to scroll cannot be scrolled up: fetch on until it fills the box.
    if (older === 'more' && el.scrollHeight <= el.clientHeight) onLoadOlder?.();
  }, [messages, older, onLoadOlder]);

  return (
    <div className="message-pane">
      {older === 'loading' && messages.length > 0 && (
        <p className="message-older">{t('chat:loadingOlder')}</p>
      )}
      <ol
        ref={ref}
        className="message-list"
        role="log"
        aria-label={label}
        aria-busy={older === 'loading'}
        onScroll={(e) => {
          const el = e.currentTarget;
          stick.current = el.scrollHeight - el.scrollTop - el.clientHeight < STICKY_BOTTOM_PX;
          if (el.scrollTop < NEAR_TOP_PX && older === 'more') onLoadOlder?.();
        }}
      >
        {messages.length === 0 && (
          <li className="message-empty">{older === 'loading' ? t('common:loading') : emptyText}</li>
        )}
        {messages.map((m) => (
          <MessageItem
            key={m.id}
            m={m}
            authorName={nameOf(m)}
            onRetry={onRetry}
            onReport={onReport}
            tick={tickOf?.(m)}
            readers={readersOf?.(m)}
          />
        ))}
      </ol>
      <p className="typing-line" aria-live="polite">
        {typing &&
          typing.length > 0 &&
          typing.length < 3 &&
          t('chat:typing.some', { names: typing.join(', '), count: typing.length })}
        {typing && typing.length >= 3 && t('chat:typing.many', { count: typing.length })}
      </p>
    </div>
  );
}

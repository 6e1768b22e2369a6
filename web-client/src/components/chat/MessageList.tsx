import { useLayoutEffect, useRef } from 'react';
import { formatTime } from '../../lib/time';
import type { ChatMessage } from '../../state/chat';

/** Within this distance of the bottom the list follows new messages; further up, the reader stays put. */
const STICKY_BOTTOM_PX = 80;

function MessageItem({ m, authorName }: { m: ChatMessage; authorName: string }) {
  const className = `message${m.own ? ' message--own' : ''}${m.status === 'failed' ? ' message--failed' : ''}`;
  return (
    <li className={className}>
      <div className="message-bubble">
        <p className="message-meta">
          <span className="message-author">{m.own ? 'You' : authorName}</span>
          <time dateTime={new Date(m.atMs).toISOString()}>{formatTime(m.atMs)}</time>
          {m.via === 'direct' && <span className="tag tag--direct">Direct (peer-to-peer)</span>}
        </p>
        <p className="message-text">{m.text}</p>
        {m.status !== 'sent' && (
          <p className="message-status">{m.status === 'sending' ? 'Sending…' : 'Not delivered'}</p>
        )}
      </div>
    </li>
  );
}

export function MessageList({
  messages,
  label,
  nameOf,
  emptyText,
}: {
  messages: readonly ChatMessage[];
  label: string;
  nameOf: (m: ChatMessage) => string;
  emptyText: string;
}) {
  const ref = useRef<HTMLOListElement>(null);
  const stick = useRef(true);

  // After each new message: follow it if the reader was at the bottom.
  useLayoutEffect(() => {
    const el = ref.current;
    if (el && stick.current && messages.length > 0) el.scrollTop = el.scrollHeight;
  }, [messages.length]);

  return (
    <ol
      ref={ref}
      className="message-list"
      role="log"
      aria-label={label}
      onScroll={(e) => {
        const el = e.currentTarget;
        stick.current = el.scrollHeight - el.scrollTop - el.clientHeight < STICKY_BOTTOM_PX;
      }}
    >
      {messages.length === 0 && <li className="message-empty">{emptyText}</li>}
      {messages.map((m) => (
        <MessageItem key={m.id} m={m} authorName={nameOf(m)} />
      ))}
    </ol>
  );
}

import { useState } from 'react';
import { formatTime } from '../../lib/time';
import { useBlockStore } from '../../state/AppState';
import type { ChatMessage } from '../../state/chat';
import { useStore } from '../../state/store';

/** R-GRP-32: a join or leave line, between the bubbles. */
function EventLine({ m, authorName }: { m: ChatMessage; authorName: string }) {
  const who = m.own ? 'You' : authorName;
  return (
    <li className="message-event">
      <span>{m.event === 'joined' ? `${who} joined the group` : `${who} left the group`}</span>{' '}
      <time dateTime={new Date(m.atMs).toISOString()}>{formatTime(m.atMs)}</time>
    </li>
  );
}

/**
 * One bubble. Own messages say where they are: sending, sent (a tick), or failed with Retry.
 * R-BLK-7: a message from someone the user blocks (in a shared group) is collapsed until shown.
 */
export function MessageItem({
  m,
  authorName,
  onRetry,
}: {
  m: ChatMessage;
  authorName: string;
  onRetry: (m: ChatMessage) => void;
}) {
  const blocks = useBlockStore();
  const blocked = useStore(
    blocks,
    (s) => !m.own && m.from !== null && s.blocked.some((b) => b.userId === m.from),
  );
  const [shown, setShown] = useState(false);
  if (m.event) return <EventLine m={m} authorName={authorName} />;
  if (blocked && !shown) {
    return (
      <li className="message message--blocked">
        <p className="message-status">
          Message from a blocked user{' '}
          <button type="button" className="text-button" onClick={() => setShown(true)}>
            Show
          </button>
        </p>
      </li>
    );
  }
  const className = `message${m.own ? ' message--own' : ''}${m.status === 'failed' ? ' message--failed' : ''}`;
  return (
    <li className={className}>
      <div className="message-bubble">
        <p className="message-meta">
          <span className="message-author">{m.own ? 'You' : authorName}</span>
          <time dateTime={new Date(m.atMs).toISOString()}>{formatTime(m.atMs)}</time>
          {m.via === 'direct' && <span className="tag tag--direct">Direct (peer-to-peer)</span>}
          {m.own && m.via === 'server' && m.status === 'sent' && (
            <span className="message-sent" title="Sent">
              <span aria-hidden="true">✓</span>
              <span className="visually-hidden">Sent</span>
            </span>
          )}
        </p>
        <p className="message-text">{m.text}</p>
        {m.status === 'sending' && <p className="message-status">Sending…</p>}
        {m.status === 'failed' && (
          <p className="message-status">
            Not delivered{' '}
            {m.clientId && (
              <button type="button" className="message-retry" onClick={() => onRetry(m)}>
                Retry
              </button>
            )}
          </p>
        )}
      </div>
    </li>
  );
}

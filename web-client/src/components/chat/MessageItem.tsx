import { formatTime } from '../../lib/time';
import type { ChatMessage } from '../../state/chat';

/** One bubble. Own messages say where they are: sending, sent (a tick), or failed with Retry. */
export function MessageItem({
  m,
  authorName,
  onRetry,
  onReport,
}: {
  m: ChatMessage;
  authorName: string;
  onRetry: (m: ChatMessage) => void;
  /** Offered on others' stored messages (R-RPT-1). */
  onReport?: ((m: ChatMessage) => void) | undefined;
}) {
  const reportable = onReport && !m.own && m.from !== null && m.via === 'server' && m.seq !== null;
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
          {reportable && (
            <button
              type="button"
              className="message-report"
              aria-label={`Report this message from ${authorName}`}
              onClick={() => onReport(m)}
            >
              Report
            </button>
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

import { useT } from '../../i18n/useT';
import { formatTime } from '../../lib/time';
import type { ChatMessage } from '../../state/chat';

/** One bubble. Own messages say where they are: sending, sent (a tick), or failed with Retry. */
export function MessageItem({
  m,
  authorName,
  onRetry,
}: {
  m: ChatMessage;
  authorName: string;
  onRetry: (m: ChatMessage) => void;
}) {
  const { t, i18n } = useT();
  const className = `message${m.own ? ' message--own' : ''}${m.status === 'failed' ? ' message--failed' : ''}`;
  return (
    <li className={className}>
      <div className="message-bubble">
        <p className="message-meta">
          <span className="message-author">{m.own ? t('chat:you') : authorName}</span>
          <time dateTime={new Date(m.atMs).toISOString()}>{formatTime(m.atMs, i18n.language)}</time>
          {m.via === 'direct' && <span className="tag tag--direct">{t('calls:direct.tag')}</span>}
          {m.own && m.via === 'server' && m.status === 'sent' && (
            <span className="message-sent" title={t('chat:sent')}>
              <span aria-hidden="true">✓</span>
              <span className="visually-hidden">{t('chat:sent')}</span>
            </span>
          )}
        </p>
        <p className="message-text">{m.text}</p>
        {m.status === 'sending' && <p className="message-status">{t('chat:sending')}</p>}
        {m.status === 'failed' && (
          <p className="message-status">
            {t('chat:notDelivered')}{' '}
            {m.clientId && (
              <button type="button" className="message-retry" onClick={() => onRetry(m)}>
                {t('chat:retry')}
              </button>
            )}
          </p>
        )}
      </div>
    </li>
  );
}

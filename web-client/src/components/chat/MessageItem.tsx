import { useState } from 'react';
import { useT } from '../../i18n/useT';
import { formatTime } from '../../lib/time';
import { useBlockStore, useChatStore } from '../../state/AppState';
import type { ChatMessage } from '../../state/chat';
import { useStore } from '../../state/store';
import { Attachment, QuoteBlock, Reactions, UploadProgress, useRich } from './rich';

/** R-GRP-32: a join or leave line, between the bubbles; R-CALL-3: a missed call in a 1:1 conversation. */
function EventLine({ m, authorName }: { m: ChatMessage; authorName: string }) {
  const { t, i18n } = useT();
  const name = m.own ? t('chat:you') : authorName;
  const text =
    m.event === 'missedCall'
      ? m.own
        ? t('chat:event.missedCallOut')
        : t('chat:event.missedCallIn', { name: authorName })
      : m.event === 'joined'
        ? t('chat:event.joined', { name })
        : t('chat:event.left', { name });
  return (
    <li className="message-event" data-event={m.event}>
      <span>{text}</span>{' '}
      <time dateTime={new Date(m.atMs).toISOString()}>{formatTime(m.atMs, i18n.language)}</time>
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
  onReport,
  tick,
  readers,
}: {
  m: ChatMessage;
  /** R-RCP-1/2: how far an own direct message got. */
  tick?: 'delivered' | 'read' | undefined;
  /** R-RCP-5: who read an own group message (names). */
  readers?: string[] | undefined;
  authorName: string;
  onRetry: (m: ChatMessage) => void;
  /** Offered on others' stored messages (R-RPT-1). */
  onReport?: ((m: ChatMessage) => void) | undefined;
}) {
  const { t, i18n } = useT();
  const blocks = useBlockStore();
  const blocked = useStore(
    blocks,
    (s) => !m.own && m.from !== null && s.blocked.some((b) => b.userId === m.from),
  );
  const [shown, setShown] = useState(false);
  const rich = useRich();
  const chat = useChatStore();
  const [recallError, setRecallError] = useState(false);
  if (m.event) return <EventLine m={m} authorName={authorName} />;
  if (m.recalled) {
    // R-RCL-2: everyone sees that it was recalled, and nothing of it.
    return (
      <li className="message-event" data-seq={m.seq ?? undefined}>
        <span>{m.own ? t('chat:recall.byYou') : t('chat:recall.byOther', { name: authorName })}</span>
      </li>
    );
  }
  if (blocked && !shown) {
    return (
      <li className="message message--blocked">
        <p className="message-status">
          {t('chat:blockedMessage')}{' '}
          <button type="button" className="text-button" onClick={() => setShown(true)}>
            {t('chat:show')}
          </button>
        </p>
      </li>
    );
  }
  const reportable = onReport && !m.own && m.from !== null && m.via === 'server' && m.seq !== null;
  const stored = m.via === 'server' && m.seq !== null;
  const highlighted = rich !== null && m.seq !== null && rich.highlight === m.seq;
  const className = `message${m.own ? ' message--own' : ''}${m.status === 'failed' ? ' message--failed' : ''}${highlighted ? ' message--highlight' : ''}`;
  const seq = m.seq;
  return (
    <li className={className} data-seq={m.seq ?? undefined}>
      <div className="message-bubble">
        <p className="message-meta">
          <span className="message-author">{m.own ? t('chat:you') : authorName}</span>
          <time dateTime={new Date(m.atMs).toISOString()}>{formatTime(m.atMs, i18n.language)}</time>
          {m.via === 'direct' && <span className="tag tag--direct">{t('calls:direct.tag')}</span>}
          {m.own && m.via === 'server' && m.status === 'sent' && (
            <span
              className={`message-sent${tick ? ` message-sent--${tick}` : ''}`}
              data-tick={tick ?? 'sent'}
              title={t(tick === 'read' ? 'chat:read' : tick === 'delivered' ? 'chat:delivered' : 'chat:sent')}
            >
              <span aria-hidden="true">{tick ? '✓✓' : '✓'}</span>
              <span className="visually-hidden">
                {t(tick === 'read' ? 'chat:read' : tick === 'delivered' ? 'chat:delivered' : 'chat:sent')}
              </span>
            </span>
          )}
          {reportable && (
            <button
              type="button"
              className="message-report"
              title={t('chat:report.messageAction', { name: authorName })}
              onClick={() => onReport(m)}
            >
              {t('chat:report.action')}
            </button>
          )}
        </p>
        <QuoteBlock m={m} />
        {m.file ? <Attachment file={m.file} /> : <p className="message-text">{m.text}</p>}
        {m.upload && m.status !== 'failed' && <UploadProgress upload={m.upload} />}
        {stored && rich && seq !== null && (
          <p className="message-actions">
            <button type="button" className="text-button" onClick={() => rich.setReplyTo(m)}>
              {t('chat:reply.action')}
            </button>
            {m.own && (
              <button
                type="button"
                className="text-button"
                onClick={() => {
                  setRecallError(false);
                  chat.recall(rich.key, seq).catch(() => setRecallError(true));
                }}
              >
                {t('chat:recall.action')}
              </button>
            )}
            {recallError && <span className="message-status">{t('chat:recall.failed')}</span>}
          </p>
        )}
        {stored && <Reactions m={m} />}
        {readers && readers.length > 0 && (
          <details className="message-readers">
            <summary>{t('chat:readBy', { count: readers.length })}</summary>
            <p>{readers.join(', ')}</p>
          </details>
        )}
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

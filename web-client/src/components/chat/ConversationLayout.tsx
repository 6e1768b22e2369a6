import { type ReactNode, useId } from 'react';
import { useT } from '../../i18n/useT';
import { Icon } from '../Icon';

/** The frame every conversation shares: header, optional panels, the message log, the composer. */
export function ConversationLayout({
  title,
  subtitle,
  badge,
  actions,
  panels,
  onClose,
  children,
}: {
  title: string;
  subtitle: ReactNode;
  badge: ReactNode;
  actions: ReactNode;
  panels?: ReactNode;
  /** Shown in World mode, where the conversation is a panel beside the map. */
  onClose?: (() => void) | undefined;
  children: ReactNode;
}) {
  const { t } = useT();
  const titleId = useId();
  return (
    <section className="conversation" aria-labelledby={titleId}>
      <header className="conversation-header">
        {onClose && (
          <button type="button" className="icon-button" onClick={onClose}>
            <Icon name="back" />
            <span className="visually-hidden">{t('chat:close')}</span>
          </button>
        )}
        {badge}
        <div className="conversation-title">
          <h1 id={titleId}>{title}</h1>
          <p className="conversation-subtitle">{subtitle}</p>
        </div>
        <div className="conversation-actions">{actions}</div>
      </header>
      {panels}
      {children}
    </section>
  );
}

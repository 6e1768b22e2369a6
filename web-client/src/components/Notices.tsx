import { useT } from '../i18n/useT';
import { formatTime } from '../lib/time';
import { useNoticeStore } from '../state/AppState';
import { useStore } from '../state/store';
import { Icon } from './Icon';

/**
 * Operator notices (chat.system) and advertisements (chat.ad). The region stays mounted while
 * empty (visually hidden) so that screen readers announce the first notice.
 */
export function Notices() {
  const { t, i18n } = useT();
  const store = useNoticeStore();
  const notices = useStore(store, (s) => s.notices);
  return (
    <section
      className={notices.length === 0 ? 'notices notices--empty' : 'notices'}
      aria-label={t('common:notices.label')}
      aria-live="polite"
    >
      <ul className="plain-list">
        {notices.map((n) => (
          <li key={n.id} className={`notice notice--${n.kind}`}>
            <span className="notice-tag">
              {n.kind === 'system' ? t('common:notices.system') : t('common:notices.ad')}
            </span>
            <div className="notice-body">
              {n.title && <p className="notice-title">{n.title}</p>}
              <p className="notice-text">
                {typeof n.text === 'string' ? n.text : t(n.text.key, n.text.values)}
              </p>
              {n.link && (
                <a href={n.link} target="_blank" rel="noopener noreferrer sponsored">
                  {n.title ? t('common:notices.open', { title: n.title }) : t('common:notices.openAd')}
                </a>
              )}
            </div>
            <time className="notice-time" dateTime={new Date(n.atMs).toISOString()}>
              {formatTime(n.atMs, i18n.language)}
            </time>
            <button
              type="button"
              className="icon-button notice-dismiss"
              aria-label={t('common:notices.dismiss')}
              onClick={() => store.dismiss(n.id)}
            >
              <Icon name="close" size={16} />
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}

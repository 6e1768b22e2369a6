import { formatTime } from '../lib/time';
import { useNoticeStore } from '../state/AppState';
import { useStore } from '../state/store';
import { Icon } from './Icon';

/**
 * Operator notices (chat.system) and advertisements (chat.ad). The region stays mounted while
 * empty (visually hidden) so that screen readers announce the first notice.
 */
export function Notices() {
  const store = useNoticeStore();
  const notices = useStore(store, (s) => s.notices);
  return (
    <section
      className={notices.length === 0 ? 'notices notices--empty' : 'notices'}
      aria-label="Notices"
      aria-live="polite"
    >
      <ul className="plain-list">
        {notices.map((n) => (
          <li key={n.id} className={`notice notice--${n.kind}`}>
            <span className="notice-tag">{n.kind === 'system' ? 'System' : 'Ad'}</span>
            <div className="notice-body">
              {n.title && <p className="notice-title">{n.title}</p>}
              <p className="notice-text">{n.text}</p>
              {n.link && (
                <a href={n.link} target="_blank" rel="noopener noreferrer sponsored">
                  {n.title ? `Open: ${n.title}` : 'Open the advertised page'}
                </a>
              )}
            </div>
            <time className="notice-time" dateTime={new Date(n.atMs).toISOString()}>
              {formatTime(n.atMs)}
            </time>
            <button
              type="button"
              className="icon-button notice-dismiss"
              aria-label="Dismiss notice"
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

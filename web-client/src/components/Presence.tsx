import type { PresenceStatus, VisibleStatus } from '@imw/shared';
import { useT } from '../i18n/useT';

/** The translation key of each status (common:status.*). */
export const STATUS_KEY = {
  online: 'common:status.online',
  away: 'common:status.away',
  busy: 'common:status.busy',
  offline: 'common:status.offline',
  invisible: 'common:status.invisible',
} as const satisfies Record<VisibleStatus | PresenceStatus, string>;

/** A status in words, in the interface language. */
export function StatusText({ status }: { status: VisibleStatus | PresenceStatus }) {
  const { t } = useT();
  return <>{t(STATUS_KEY[status])}</>;
}

/** The coloured dot. Decorative: the status is always written next to it too (never colour alone). */
export function PresenceDot({ status }: { status: VisibleStatus | PresenceStatus }) {
  return <span className={`presence presence--${status}`} aria-hidden="true" />;
}

/** The unread count on a conversation link; read out as "3 unread". */
export function UnreadBadge({ count }: { count: number }) {
  const { t } = useT();
  if (count <= 0) return null;
  return (
    <span className="unread">
      <span aria-hidden="true">{count > 99 ? '99+' : count}</span>
      <span className="visually-hidden">{t('common:unread', { count })}</span>
    </span>
  );
}

import type { PresenceStatus, VisibleStatus } from '@imw/shared';

export const STATUS_LABEL: Record<VisibleStatus | PresenceStatus, string> = {
  online: 'Online',
  away: 'Away',
  busy: 'Busy',
  offline: 'Offline',
  invisible: 'Invisible',
};

/** The coloured dot. Decorative: the status is always written next to it too (never colour alone). */
export function PresenceDot({ status }: { status: VisibleStatus | PresenceStatus }) {
  return <span className={`presence presence--${status}`} aria-hidden="true" />;
}

/** The unread count on a conversation link; read out as "3 unread". */
export function UnreadBadge({ count }: { count: number }) {
  if (count <= 0) return null;
  return (
    <span className="unread">
      <span aria-hidden="true">{count > 99 ? '99+' : count}</span>
      <span className="visually-hidden">, {count} unread</span>
    </span>
  );
}

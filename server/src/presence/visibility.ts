import type { VisibleStatus } from '@imw/shared';
import type { PresenceRecord } from './store';

/**
 * R-PRS-2: the one place that turns a stored status into what others see. Invisible is offline,
 * exactly, in every answer and notice.
 */
export function visibleStatus(rec: Pick<PresenceRecord, 'status'> | undefined | null): VisibleStatus {
  if (!rec || rec.status === 'invisible') return 'offline';
  return rec.status;
}

/**
 * R-DEV-3: what others see of a user with these sessions. One status per user, so any visible
 * session shows it; no session, or only invisible ones, is offline.
 */
export function visibleOfUser(
  recs: ReadonlyArray<Pick<PresenceRecord, 'status'>> | undefined,
): VisibleStatus {
  for (const r of recs ?? []) if (r.status !== 'invisible') return visibleStatus(r);
  return 'offline';
}

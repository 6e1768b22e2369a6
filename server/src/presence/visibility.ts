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

import type { HandlerMap, RequestCosts } from '../core';
import { requireSession } from '../core';
import type { ModerationService } from './service';

type Names = 'reports.create';

/** R-LIM-16: a report reads and writes the database. */
export const reportCosts: RequestCosts<Names> = { 'reports.create': 'db' };

export function reportHandlers(svc: ModerationService): HandlerMap<Names> {
  return {
    'reports.create': (ctx, p) => svc.report(requireSession(ctx).userId, p),
  };
}

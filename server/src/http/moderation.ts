import { z } from 'zod';
import { type HttpRequest, type HttpRoute, json } from '../core';
import { parseBody, parseQuery } from './body';

/** What the moderation admin API needs (moderation's ModerationService, by shape). */
export interface ModerationActions {
  listReports(q: {
    status: 'open' | 'resolved' | 'all';
    beforeId?: number;
    limit: number;
  }): Promise<unknown[]>;
  resolveReport(id: number, resolution: string): Promise<unknown | null>;
  listActions(q: { userId?: number; beforeId?: number; limit: number }): Promise<unknown[]>;
  warn(userId: number, text: string, reportId?: number): Promise<unknown | null>;
  suspend(userId: number, untilMs: number, text: string, reportId?: number): Promise<unknown | null>;
  lift(userId: number, text: string): Promise<unknown | null>;
  deleteAccount(userId: number, text: string, reportId?: number): Promise<unknown | null>;
}

const id = z
  .number()
  .int()
  .positive()
  .max(2 ** 31 - 1);
const queryId = z.coerce
  .number()
  .int()
  .positive()
  .max(2 ** 31 - 1);
const limit = z.coerce.number().int().min(1).max(200).default(50);
const text = z.string().max(2000);

const reportsQuery = z
  .object({ status: z.enum(['open', 'resolved', 'all']).default('open'), before: queryId.optional(), limit })
  .strict();
const actionsQuery = z.object({ userId: queryId.optional(), before: queryId.optional(), limit }).strict();
const resolveBody = z.object({ reportId: id, resolution: text.default('') }).strict();
const warnBody = z.object({ userId: id, text: text.min(1), reportId: id.optional() }).strict();
/** `until` in milliseconds since the epoch or as an ISO date; it must be in the future. */
const suspendBody = z
  .object({
    userId: id,
    until: z.union([
      z.number().int().positive(),
      z.iso.datetime({ offset: true }).transform((s) => Date.parse(s)),
    ]),
    text: text.default(''),
    reportId: id.optional(),
  })
  .strict();
const liftBody = z.object({ userId: id, text: text.default('') }).strict();
const deleteBody = z.object({ userId: id, text: text.default(''), reportId: id.optional() }).strict();

const noUser = json(404, { error: 'no such user' });

/**
 * R-MOD-*: reports (newest first, paged, open or resolved) and the actions on accounts — warn,
 * suspend until a date, lift, delete — each logged and listed. Every route behind the admin guard.
 */
export function moderationRoutes(
  mod: ModerationActions,
  guarded: (fn: HttpRoute['handle']) => HttpRoute['handle'],
  now: () => number,
): HttpRoute[] {
  const route = (method: 'GET' | 'POST', path: string, fn: HttpRoute['handle']): HttpRoute => ({
    method,
    path,
    handle: guarded(fn),
  });
  return [
    route('GET', '/admin/reports', async (req: HttpRequest) => {
      const q = parseQuery(req, reportsQuery);
      if (!q.ok) return q.res;
      const { status, before, limit } = q.value;
      return json(200, {
        reports: await mod.listReports({ status, limit, ...(before ? { beforeId: before } : {}) }),
      });
    }),
    route('POST', '/admin/reports/resolve', async (req) => {
      const b = parseBody(req, resolveBody);
      if (!b.ok) return b.res;
      const r = await mod.resolveReport(b.value.reportId, b.value.resolution);
      return r ? json(200, r) : json(404, { error: 'no such report' });
    }),
    route('GET', '/admin/actions', async (req) => {
      const q = parseQuery(req, actionsQuery);
      if (!q.ok) return q.res;
      const { userId, before, limit } = q.value;
      return json(200, {
        actions: await mod.listActions({
          limit,
          ...(userId ? { userId } : {}),
          ...(before ? { beforeId: before } : {}),
        }),
      });
    }),
    route('POST', '/admin/users/warn', async (req) => {
      const b = parseBody(req, warnBody);
      if (!b.ok) return b.res;
      const a = await mod.warn(b.value.userId, b.value.text, b.value.reportId);
      return a ? json(200, a) : noUser;
    }),
    route('POST', '/admin/users/suspend', async (req) => {
      const b = parseBody(req, suspendBody);
      if (!b.ok) return b.res;
      if (!Number.isFinite(b.value.until) || b.value.until <= now()) {
        return json(400, { error: 'until must be a date in the future' });
      }
      const a = await mod.suspend(b.value.userId, b.value.until, b.value.text, b.value.reportId);
      return a ? json(200, a) : noUser;
    }),
    route('POST', '/admin/users/unsuspend', async (req) => {
      const b = parseBody(req, liftBody);
      if (!b.ok) return b.res;
      const a = await mod.lift(b.value.userId, b.value.text);
      return a ? json(200, a) : noUser;
    }),
    route('POST', '/admin/users/delete', async (req) => {
      const b = parseBody(req, deleteBody);
      if (!b.ok) return b.res;
      const a = await mod.deleteAccount(b.value.userId, b.value.text, b.value.reportId);
      return a ? json(200, a) : noUser;
    }),
  ];
}

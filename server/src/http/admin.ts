import { z } from 'zod';
import { type HttpRequest, type HttpResponse, type HttpRoute, json } from '../core';
import { type AuthFailures, bearerGuard } from './guard';

type Handle = HttpRoute['handle'];

const systemBody = z
  .object({ text: z.string().min(1).max(2000), userId: z.number().int().positive().optional() })
  .strict();
const adBody = z
  .object({
    title: z.string().min(1).max(120),
    text: z.string().min(1).max(1000),
    link: z
      .url({ protocol: /^https?$/ })
      .max(500)
      .optional(),
  })
  .strict();

/** What the admin API does (messaging's notices, the cluster's drain); the routes only parse. */
export interface AdminActions {
  system(text: string, toUserId?: number): unknown;
  ad(ad: { title: string; text: string; link?: string | undefined }): unknown;
  /** R-CLU-32: move every session to other nodes. */
  drain(): Promise<{ moved: number; remaining: number }>;
}

/** The one admin guard: off (404) without ADMIN_TOKEN, 401 without `Authorization: Bearer <it>`. */
export function adminGuard(adminToken: string | undefined, failures: AuthFailures): (fn: Handle) => Handle {
  return bearerGuard(adminToken, failures, 'the admin API is disabled (set ADMIN_TOKEN)');
}

function parseJson(req: HttpRequest): unknown {
  try {
    return JSON.parse(req.body.toString('utf8'));
  } catch {
    return undefined;
  }
}

/**
 * The operator's admin API (docs/OPERATIONS.md): system notices, advertisements and drain. Off
 * unless ADMIN_TOKEN is set; every call needs `Authorization: Bearer <ADMIN_TOKEN>`.
 */
export function adminRoutes(
  notices: Pick<AdminActions, 'system' | 'ad'>,
  placement: Pick<AdminActions, 'drain'>,
  adminToken: string | undefined,
  failures: AuthFailures,
): HttpRoute[] {
  const guarded = adminGuard(adminToken, failures);
  const system = (req: HttpRequest): HttpResponse => {
    const b = systemBody.safeParse(parseJson(req));
    if (!b.success) return json(400, { error: 'body must be {"text": string, "userId"?: number}' });
    return json(200, notices.system(b.data.text, b.data.userId));
  };
  const ad = (req: HttpRequest): HttpResponse => {
    const b = adBody.safeParse(parseJson(req));
    if (!b.success) return json(400, { error: 'body must be {"title", "text", "link"?}' });
    return json(200, notices.ad(b.data));
  };
  return [
    { method: 'POST', path: '/admin/system', handle: guarded(system) },
    { method: 'POST', path: '/admin/ad', handle: guarded(ad) },
    { method: 'POST', path: '/admin/drain', handle: guarded(async () => json(200, await placement.drain())) },
  ];
}

import { createHash, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import { type HttpRequest, type HttpRoute, json } from '../net';
import type { MessagingService } from './service';

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

/** Constant-time token check: both sides are hashed first so lengths leak nothing either. */
export function tokenMatches(header: string | undefined, token: string): boolean {
  const m = /^Bearer (.+)$/.exec(header ?? '');
  if (!m?.[1]) return false;
  const a = createHash('sha256').update(m[1]).digest();
  const b = createHash('sha256').update(token).digest();
  return timingSafeEqual(a, b);
}

function parseJson(req: HttpRequest): unknown {
  try {
    return JSON.parse(req.body.toString('utf8'));
  } catch {
    return undefined;
  }
}

/**
 * The operator's admin API (docs/OPERATIONS.md): system notices and advertisements. Off unless
 * ADMIN_TOKEN is set; every call needs `Authorization: Bearer <ADMIN_TOKEN>`.
 */
export function adminRoutes(svc: MessagingService, adminToken: string | undefined): HttpRoute[] {
  const guarded =
    (fn: (req: HttpRequest) => ReturnType<HttpRoute['handle']>): HttpRoute['handle'] =>
    (req) => {
      if (!adminToken) return json(404, { error: 'the admin API is disabled (set ADMIN_TOKEN)' });
      if (!tokenMatches(req.headers.authorization, adminToken))
        return json(401, { error: 'bad or missing token' });
      return fn(req);
    };
  return [
    {
      method: 'POST',
      path: '/admin/system',
      handle: guarded((req) => {
        const b = systemBody.safeParse(parseJson(req));
        if (!b.success) return json(400, { error: 'body must be {"text": string, "userId"?: number}' });
        return json(200, svc.system(b.data.text, b.data.userId));
      }),
    },
    {
      method: 'POST',
      path: '/admin/ad',
      handle: guarded((req) => {
        const b = adBody.safeParse(parseJson(req));
        if (!b.success) return json(400, { error: 'body must be {"title", "text", "link"?}' });
        return json(200, svc.ad(b.data));
      }),
    },
  ];
}

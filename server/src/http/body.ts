import type { z } from 'zod';
import { type HttpRequest, type HttpResponse, json } from '../core';

function parseJson(req: HttpRequest): unknown {
  try {
    return JSON.parse(req.body.toString('utf8'));
  } catch {
    return undefined;
  }
}

/** Parses a JSON body with `schema`: the value, or a 400 naming the failing fields. */
export function parseBody<T>(
  req: HttpRequest,
  schema: z.ZodType<T>,
): { ok: true; value: T } | { ok: false; res: HttpResponse } {
  const r = schema.safeParse(parseJson(req));
  if (r.success) return { ok: true, value: r.data };
  const fields = r.error.issues.map((i) => i.path.join('.') || '(body)');
  return { ok: false, res: json(400, { error: `bad body: ${[...new Set(fields)].join(', ')}` }) };
}

/** Parses the query string with `schema` (every value a string): the value, or a 400. */
export function parseQuery<T>(
  req: HttpRequest,
  schema: z.ZodType<T>,
): { ok: true; value: T } | { ok: false; res: HttpResponse } {
  const r = schema.safeParse(Object.fromEntries(new URLSearchParams(req.query)));
  if (r.success) return { ok: true, value: r.data };
  const fields = r.error.issues.map((i) => i.path.join('.') || '(query)');
  return { ok: false, res: json(400, { error: `bad query: ${[...new Set(fields)].join(', ')}` }) };
}

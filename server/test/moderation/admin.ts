import type { ActionView, ReportView } from '../../src/moderation';

/** Every shape the admin API answers with, as optional fields (a test knows which it asked for). */
export type AdminBody = Partial<ReportView> &
  Partial<ActionView> & {
    error?: string;
    reports?: ReportView[];
    actions?: ActionView[];
    users?: unknown;
    nodes?: { nodeId: string; sessions: number; draining: boolean; url: string; cpu: number }[];
    self?: string;
    [key: string]: unknown;
  };

/** The admin API as a test calls it: JSON in, status and JSON out, with the bearer token. */
export const ADMIN = 'test-admin-token-moderation-0123456789';

export async function adminCall(
  httpUrl: string,
  method: 'GET' | 'POST',
  path: string,
  body?: unknown,
  token: string | null = ADMIN,
): Promise<{ status: number; body: AdminBody }> {
  const res = await fetch(`${httpUrl}${path}`, {
    method,
    headers: {
      ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null };
}

/**
 * The admin API as the console calls it. R-ADM-8: the token lives only in this object, in the
 * tab's memory; it is sent as a bearer header and never put in a URL, in storage or in a cookie.
 */
export class AdminError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export interface NodeView {
  nodeId: string;
  url: string;
  sessions: number;
  cpu: number;
  draining: boolean;
  updatedAtMs: number;
}

export interface UserView {
  userId: number;
  username: string;
  displayName: string;
  status: 'online' | 'away' | 'busy' | 'offline';
}

export interface ReportView {
  id: number;
  reporter: { userId: number | null; username: string };
  target: { userId: number | null; username: string };
  message: { messageId: string; text: string } | null;
  category: string;
  note: string;
  createdAtMs: number;
  resolvedAtMs: number | null;
  resolution: string | null;
}

export interface ActionView {
  id: number;
  userId: number;
  username: string;
  kind: 'warn' | 'suspend' | 'lift' | 'delete';
  text: string;
  untilMs: number | null;
  reportId: number | null;
  atMs: number;
}

export interface StatsView {
  nodeId: string;
  atMs: number;
  sessions: number;
  connections: number;
  onlineUsers: number;
  messagesTotal: number;
  requestsTotal: number;
  requestDurationBuckets: { le: number | null; count: number }[];
}

export class AdminApi {
  constructor(private readonly token: string) {}

  private async call<T>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> {
    let res: Response;
    try {
      res = await fetch(path, {
        method,
        headers: {
          authorization: `Bearer ${this.token}`,
          ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        },
        ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
        cache: 'no-store',
        credentials: 'omit',
      });
    } catch {
      throw new AdminError(0, 'The server cannot be reached.');
    }
    const text = await res.text();
    let parsed: unknown = null;
    try {
      parsed = text ? JSON.parse(text) : null;
    } catch {
      parsed = null;
    }
    if (!res.ok) {
      const message = (parsed as { error?: string } | null)?.error ?? `HTTP ${res.status}`;
      throw new AdminError(res.status, message);
    }
    return parsed as T;
  }

  nodes = () => this.call<{ self: string; nodes: NodeView[] }>('GET', '/admin/nodes');
  online = () => this.call<{ users: number }>('GET', '/admin/online');
  searchUsers = (q: string) =>
    this.call<{ users: UserView[] }>('GET', `/admin/users?q=${encodeURIComponent(q)}&limit=50`);
  stats = () => this.call<StatsView>('GET', '/admin/stats');
  kick = (userId: number) => this.call<object>('POST', '/admin/users/kick', { userId });
  drain = (nodeId: string) => this.call<object>('POST', '/admin/nodes/drain', { nodeId });
  notice = (text: string, userId?: number) =>
    this.call<object>('POST', '/admin/system', { text, ...(userId !== undefined ? { userId } : {}) });
  ad = (title: string, text: string, link?: string) =>
    this.call<object>('POST', '/admin/ad', { title, text, ...(link ? { link } : {}) });
  reports = (status: 'open' | 'resolved' | 'all') =>
    this.call<{ reports: ReportView[] }>('GET', `/admin/reports?status=${status}&limit=50`);
  resolve = (reportId: number, resolution: string) =>
    this.call<ReportView>('POST', '/admin/reports/resolve', { reportId, resolution });
  actions = () => this.call<{ actions: ActionView[] }>('GET', '/admin/actions?limit=50');
  warn = (userId: number, text: string, reportId?: number) =>
    this.call<ActionView>('POST', '/admin/users/warn', { userId, text, ...(reportId ? { reportId } : {}) });
  suspend = (userId: number, untilMs: number, text: string, reportId?: number) =>
    this.call<ActionView>('POST', '/admin/users/suspend', {
      userId,
      until: untilMs,
      text,
      ...(reportId ? { reportId } : {}),
    });
  unsuspend = (userId: number, text: string) =>
    this.call<ActionView>('POST', '/admin/users/unsuspend', { userId, text });
  deleteAccount = (userId: number, text: string, reportId?: number) =>
    this.call<ActionView>('POST', '/admin/users/delete', { userId, text, ...(reportId ? { reportId } : {}) });
}

import { useEffect } from 'react';
import type { ActionView, AdminApi } from './api';
import { usePoll } from './usePoll';

const LABEL: Record<ActionView['kind'], string> = {
  warn: 'warned',
  suspend: 'suspended',
  lift: 'suspension lifted',
  delete: 'deleted',
};

/** R-MOD-6: what operators did, newest first. */
export function ActionsPanel({
  api,
  onUnauthorized,
  changes,
}: {
  api: AdminApi;
  onUnauthorized: () => void;
  /** Bumped when the console took an action: load again at once. */
  changes: number;
}) {
  const actions = usePoll(api.actions, 5000, onUnauthorized);
  const { reload } = actions;
  useEffect(() => {
    if (changes > 0) reload();
  }, [changes, reload]);
  const list = actions.value?.actions ?? [];
  return (
    <section className="card admin-panel" aria-labelledby="actions-h">
      <h2 id="actions-h">Moderation log</h2>
      {list.length === 0 && <p className="empty">Nothing yet.</p>}
      <ul className="plain-list admin-log" aria-label="Moderation actions">
        {list.map((a) => (
          <li key={a.id}>
            <strong>@{a.username}</strong> {LABEL[a.kind]}
            {a.untilMs !== null && ` until ${new Date(a.untilMs).toLocaleString()}`}
            {a.text && <span className="admin-muted"> — {a.text}</span>}
            <div className="admin-muted">{new Date(a.atMs).toLocaleString()}</div>
          </li>
        ))}
      </ul>
    </section>
  );
}

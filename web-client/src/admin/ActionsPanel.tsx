import { useEffect } from 'react';
import { useT } from '../i18n/useT';
import type { AdminApi } from './api';
import { usePoll } from './usePoll';

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
  const { t, i18n } = useT();
  const actions = usePoll(api.actions, 5000, onUnauthorized);
  const { reload } = actions;
  useEffect(() => {
    if (changes > 0) reload();
  }, [changes, reload]);
  const when = (ms: number) => new Date(ms).toLocaleString(i18n.language);
  const list = actions.value?.actions ?? [];
  return (
    <section className="card admin-panel" aria-labelledby="actions-h">
      <h2 id="actions-h">{t('admin:log.title')}</h2>
      {list.length === 0 && <p className="empty">{t('admin:log.empty')}</p>}
      <ul className="plain-list admin-log" aria-label={t('admin:log.list')}>
        {list.map((a) => (
          <li key={a.id}>
            <strong>@{a.username}</strong> {t(`admin:log.kind.${a.kind}`)}
            {a.untilMs !== null && ` ${t('admin:log.until', { when: when(a.untilMs) })}`}
            {a.text && <span className="admin-muted"> — {a.text}</span>}
            <div className="admin-muted">{when(a.atMs)}</div>
          </li>
        ))}
      </ul>
    </section>
  );
}

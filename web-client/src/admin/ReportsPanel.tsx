import { useEffect, useState } from 'react';
import { useT } from '../i18n/useT';
import type { AdminApi, ReportView } from './api';
import { ModerateDialog, type Moderation } from './ModerateDialog';
import { usePoll } from './usePoll';

/** R-RPT-5: the newest reports, open or resolved, with the actions an operator takes on them. */
export function ReportsPanel({
  api,
  onUnauthorized,
  onChanged,
  changes,
}: {
  api: AdminApi;
  onUnauthorized: () => void;
  onChanged: () => void;
  changes: number;
}) {
  const { t, i18n } = useT();
  const when = (ms: number) => new Date(ms).toLocaleString(i18n.language);
  const [status, setStatus] = useState<'open' | 'resolved' | 'all'>('open');
  const reports = usePoll(() => api.reports(status), 3000, onUnauthorized);
  const [moderating, setModerating] = useState<{ report: ReportView; kind: Moderation } | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  const { reload } = reports;
  // A new filter, or an action taken elsewhere in the console: load again at once.
  // biome-ignore lint/correctness/useExhaustiveDependencies: status and changes are the triggers
  useEffect(() => reload(), [status, changes, reload]);

  async function resolve(r: ReportView, resolution: string) {
    try {
      await api.resolve(r.id, resolution);
      reports.reload();
    } catch (e) {
      setMessage(e instanceof Error ? e.message : String(e));
    }
  }

  const list = reports.value?.reports ?? [];
  return (
    <section className="card admin-panel admin-panel--wide" aria-labelledby="reports-h">
      <h2 id="reports-h">{t('admin:reports.title')}</h2>
      <div className="admin-row">
        <label htmlFor="report-status">{t('admin:reports.show')}</label>
        <select
          id="report-status"
          value={status}
          onChange={(e) => setStatus(e.target.value as 'open' | 'resolved' | 'all')}
        >
          <option value="open">{t('admin:reports.open')}</option>
          <option value="resolved">{t('admin:reports.resolved')}</option>
          <option value="all">{t('admin:reports.all')}</option>
        </select>
      </div>
      {reports.error && <p className="alert alert--error">{reports.error}</p>}
      {list.length === 0 && <p className="empty">{t('admin:reports.none')}</p>}
      <ul className="plain-list admin-reports" aria-label={t('admin:reports.list')}>
        {list.map((r) => (
          <li key={r.id} className="admin-report" data-report={r.id}>
            <p>
              <strong>@{r.target.username}</strong>
              {r.target.userId === null && <span className="tag">{t('admin:reports.deleted')}</span>}{' '}
              {t('admin:reports.reportedBy')} @{r.reporter.username} ·{' '}
              <span className="tag">{r.category}</span>{' '}
              <span className="admin-muted">{when(r.createdAtMs)}</span>
            </p>
            {r.note && <p className="admin-note">{r.note}</p>}
            {r.message && (
              <blockquote
                className="admin-quote"
                title={t('admin:reports.message', { id: r.message.messageId })}
              >
                {r.message.text}
              </blockquote>
            )}
            {r.resolvedAtMs !== null ? (
              <p className="admin-muted">
                {t('admin:reports.resolvedAt', { when: when(r.resolvedAtMs) })}
                {r.resolution ? `: ${r.resolution}` : ''}
              </p>
            ) : (
              <div className="admin-actions">
                {r.target.userId !== null && (
                  <>
                    <button
                      type="button"
                      className="button button--secondary button--small"
                      onClick={() => setModerating({ report: r, kind: 'warn' })}
                    >
                      {t('admin:reports.warn')}
                    </button>
                    <button
                      type="button"
                      className="button button--secondary button--small"
                      onClick={() => setModerating({ report: r, kind: 'suspend' })}
                    >
                      {t('admin:reports.suspend')}
                    </button>
                    <button
                      type="button"
                      className="button button--secondary button--small"
                      onClick={() => setModerating({ report: r, kind: 'delete' })}
                    >
                      {t('admin:reports.delete')}
                    </button>
                  </>
                )}
                <button
                  type="button"
                  className="button button--secondary button--small"
                  onClick={() => void resolve(r, 'no action')}
                >
                  {t('admin:reports.dismiss')}
                </button>
              </div>
            )}
          </li>
        ))}
      </ul>
      {message && (
        <p className="admin-muted" role="status">
          {message}
        </p>
      )}
      <ModerateDialog
        target={
          moderating?.report.target.userId
            ? { userId: moderating.report.target.userId, name: moderating.report.target.username }
            : null
        }
        kind={moderating?.kind ?? 'warn'}
        {...(moderating ? { reportId: moderating.report.id } : {})}
        api={api}
        onDone={(what) => {
          const m = moderating;
          setModerating(null);
          if (what && m) {
            setMessage(what);
            void resolve(
              m.report,
              m.kind === 'warn' ? 'warned' : m.kind === 'suspend' ? 'suspended' : 'deleted',
            );
            onChanged();
          }
        }}
      />
    </section>
  );
}

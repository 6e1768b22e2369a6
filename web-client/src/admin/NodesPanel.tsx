import { useState } from 'react';
import { useT } from '../i18n/useT';
import type { AdminApi, NodeView } from './api';
import { ConfirmButton } from './ConfirmButton';
import { usePoll } from './usePoll';

/** R-ADM-1, R-ADM-6: every live node, its sessions, load and state; drain any of them. */
export function NodesPanel({ api, onUnauthorized }: { api: AdminApi; onUnauthorized: () => void }) {
  const { t } = useT();
  const nodes = usePoll(api.nodes, 3000, onUnauthorized);
  const [message, setMessage] = useState<string | null>(null);

  async function drain(n: NodeView) {
    try {
      await api.drain(n.nodeId);
      setMessage(t('admin:nodes.drainStarted', { node: n.nodeId }));
      nodes.reload();
    } catch (e) {
      setMessage(e instanceof Error ? e.message : String(e));
    }
  }

  return (
    <section className="card admin-panel" aria-labelledby="nodes-h">
      <h2 id="nodes-h">{t('admin:nodes.title')}</h2>
      {nodes.error && <p className="alert alert--error">{nodes.error}</p>}
      <div className="admin-scroll">
        <table className="admin-table" aria-label={t('admin:nodes.title')}>
          <thead>
            <tr>
              <th scope="col">{t('admin:nodes.node')}</th>
              <th scope="col">{t('admin:nodes.sessions')}</th>
              <th scope="col">{t('admin:nodes.load')}</th>
              <th scope="col">{t('admin:nodes.state')}</th>
            </tr>
          </thead>
          <tbody>
            {(nodes.value?.nodes ?? []).map((n) => (
              <tr key={n.nodeId} data-node={n.nodeId}>
                <td>
                  <span className="admin-mono">{n.nodeId}</span>
                  {n.nodeId === nodes.value?.self && <span className="tag">{t('admin:nodes.self')}</span>}
                  <div className="admin-muted">{n.url}</div>
                </td>
                <td>{n.sessions}</td>
                <td>{Math.round(n.cpu * 100)} %</td>
                <td>
                  {n.draining ? (
                    <span className="tag tag--warn">{t('admin:nodes.draining')}</span>
                  ) : (
                    <div className="admin-state">
                      {t('admin:nodes.serving')}
                      <ConfirmButton
                        label={t('admin:nodes.drain')}
                        confirm={t('admin:nodes.drainConfirm', { node: n.nodeId, count: n.sessions })}
                        onConfirm={() => drain(n)}
                      />
                    </div>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {message && (
        <p className="admin-muted" role="status">
          {message}
        </p>
      )}
    </section>
  );
}

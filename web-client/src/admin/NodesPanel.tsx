import { useState } from 'react';
import type { AdminApi, NodeView } from './api';
import { ConfirmButton } from './ConfirmButton';
import { usePoll } from './usePoll';

/** R-ADM-1, R-ADM-6: every live node, its sessions, load and state; drain any of them. */
export function NodesPanel({ api, onUnauthorized }: { api: AdminApi; onUnauthorized: () => void }) {
  const nodes = usePoll(api.nodes, 3000, onUnauthorized);
  const [message, setMessage] = useState<string | null>(null);

  async function drain(n: NodeView) {
    try {
      await api.drain(n.nodeId);
      setMessage(`Draining ${n.nodeId}: its users are moved to other nodes.`);
      nodes.reload();
    } catch (e) {
      setMessage(e instanceof Error ? e.message : String(e));
    }
  }

  return (
    <section className="card admin-panel" aria-labelledby="nodes-h">
      <h2 id="nodes-h">Nodes</h2>
      {nodes.error && <p className="alert alert--error">{nodes.error}</p>}
      <div className="admin-scroll">
        <table className="admin-table" aria-label="Nodes">
          <thead>
            <tr>
              <th scope="col">Node</th>
              <th scope="col">Sessions</th>
              <th scope="col">Load</th>
              <th scope="col">State</th>
            </tr>
          </thead>
          <tbody>
            {(nodes.value?.nodes ?? []).map((n) => (
              <tr key={n.nodeId} data-node={n.nodeId}>
                <td>
                  <span className="admin-mono">{n.nodeId}</span>
                  {n.nodeId === nodes.value?.self && <span className="tag">this node</span>}
                  <div className="admin-muted">{n.url}</div>
                </td>
                <td>{n.sessions}</td>
                <td>{Math.round(n.cpu * 100)} %</td>
                <td>
                  {n.draining ? (
                    <span className="tag tag--warn">draining</span>
                  ) : (
                    <div className="admin-state">
                      serving
                      <ConfirmButton
                        label="Drain"
                        confirm={`Drain ${n.nodeId}? It stops taking users and moves its ${n.sessions} sessions to other nodes.`}
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

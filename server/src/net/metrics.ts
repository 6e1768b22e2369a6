import client from 'prom-client';

/** Prometheus metrics for one node (docs/OPERATIONS.md lists them). */
export function createMetrics() {
  const registry = new client.Registry();
  client.collectDefaultMetrics({ register: registry, eventLoopMonitoringPrecision: 20 });
  return {
    registry,
    connections: new client.Gauge({
      name: 'imw_connections',
      help: 'Open WebSocket connections',
      registers: [registry],
    }),
    sessions: new client.Gauge({
      name: 'imw_sessions',
      help: 'Logged-in sessions on this node',
      registers: [registry],
    }),
    packetsIn: new client.Counter({
      name: 'imw_packets_in_total',
      help: 'Requests received, by packet type',
      labelNames: ['type'],
      registers: [registry],
    }),
    packetsOut: new client.Counter({
      name: 'imw_packets_out_total',
      help: 'Records sent, by kind (result, error, event name)',
      labelNames: ['type'],
      registers: [registry],
    }),
    framesOut: new client.Counter({
      name: 'imw_frames_out_total',
      help: 'WebSocket frames sent',
      registers: [registry],
    }),
    errors: new client.Counter({
      name: 'imw_errors_total',
      help: 'Error responses, by code',
      labelNames: ['code'],
      registers: [registry],
    }),
    closes: new client.Counter({
      name: 'imw_closes_total',
      help: 'Connections closed by the server, by close code',
      labelNames: ['code'],
      registers: [registry],
    }),
  };
}

export type Metrics = ReturnType<typeof createMetrics>;

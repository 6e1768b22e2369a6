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
    sceneViewDelay: new client.Histogram({
      name: 'imw_scene_view_delay_seconds',
      help: "From an accepted scene.move to the tick that queues it for the mover's viewers",
      buckets: [0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.15, 0.25, 0.5, 1, 2.5, 5],
      registers: [registry],
    }),
    bubbleChanges: new client.Counter({
      name: 'imw_scene_bubble_changes_total',
      help: 'Bubble changes announced (a bubble formed, joined, left, dissolved or locked)',
      registers: [registry],
    }),
    bubbleSeconds: new client.Counter({
      name: 'imw_scene_bubble_seconds_total',
      help: 'Server time spent announcing bubble changes (recipients and encoding)',
      registers: [registry],
    }),
    bubbleSignals: new client.Counter({
      name: 'imw_scene_signals_total',
      help: 'scene.signal messages relayed between members of one bubble',
      registers: [registry],
    }),
    /** From a request's dispatch to its answer (the operator console's p99 chart reads it). */
    requestDuration: new client.Histogram({
      name: 'imw_request_duration_seconds',
      help: 'Time from dispatching a request to its answer (handlers only; heartbeats excluded)',
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
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

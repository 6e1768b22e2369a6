import { startServer } from './app';
import { loadConfig } from './core';

/** Entry point: configuration from the environment; SIGTERM/SIGINT drain to other nodes, then exit. */
const config = loadConfig();
const server = await startServer({ config });
console.log(`\n  IM World is running: ${server.httpUrl}\n  WebSocket endpoint: ${server.wsUrl}\n`);

let stopping = false;
for (const sig of ['SIGINT', 'SIGTERM'] as const) {
  process.on(sig, () => {
    if (stopping) process.exit(1);
    stopping = true;
    (async () => {
      // R-CLU-32: users move to other nodes (if any) before this one goes away.
      const r = await server.drain().catch(() => ({ moved: 0, remaining: -1 }));
      if (r.moved > 0) console.log(`  moved ${r.moved} sessions to other nodes`);
      await server.close();
    })().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  });
}

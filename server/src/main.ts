import { startServer } from './app';
import { loadConfig } from './core';

/** Entry point: configuration from the environment, graceful shutdown on SIGINT/SIGTERM. */
const config = loadConfig();
const server = await startServer({ config });
console.log(`\n  IM World is running: ${server.httpUrl}\n  WebSocket endpoint: ${server.wsUrl}\n`);

let stopping = false;
for (const sig of ['SIGINT', 'SIGTERM'] as const) {
  process.on(sig, () => {
    if (stopping) process.exit(1);
    stopping = true;
    server.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  });
}
